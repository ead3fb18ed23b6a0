// Entry point of the action's post step (action.yml `runs.post`), run at the end of the job.
import { start } from './run.mjs';

start('post');
