// Entry point of the action's main step (action.yml `runs.main`).
import { start } from './run.mjs';

start('main');
