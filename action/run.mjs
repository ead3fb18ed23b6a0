// The action's main and post steps: gather the run, then loop "ask the engine → perform its
// request → feed the reply back" until the engine returns its outcome, and hand that outcome to the
// runner. Every decision is the engine's; this file only moves data.
//
// The library (lib.mjs) has the same loop for other tools. The action keeps its own lean copy:
// bundling the library's executor adapters into every step measured 1.34x the floor instead of
// 1.29x on Node 24 (bench/run.mjs, 40 pairs each).

import { readFileSync } from './builtins.mjs';
import { createEngine, prepare, runStep } from './engine.mjs';
import { createClient } from './github.mjs';
import * as runner from './runner.mjs';
import { readZone } from './zones.mjs';

const USER_AGENT = 'deliverybot-action';

/** Runs one step; `phase` is `main` or `post` (the entry files `main.mjs` and `post.mjs`). */
export async function run(phase, env = process.env) {
  // The engine compiles in the background while this step reads its inputs and loads node:http.
  const compiling = prepare();
  const inputs = runner.inputs(env);
  const token = (inputs.token ?? '').trim();
  runner.mask(token);
  delete inputs.token; // the engine never needs it

  const vars = runner.requireEnv(
    ['GITHUB_EVENT_NAME', 'GITHUB_EVENT_PATH', 'GITHUB_REPOSITORY', 'GITHUB_RUN_ID', 'GITHUB_SERVER_URL', 'GITHUB_API_URL'],
    env,
  );
  if (!token) throw new Error('input `token` is empty: pass a token, for example `token: ${{ github.token }}`');
  const event = readFileSync(vars.GITHUB_EVENT_PATH); // bytes: the engine reads them as UTF-8

  const perform = createClient({
    apiUrl: vars.GITHUB_API_URL,
    token,
    userAgent: USER_AGENT,
    // Seconds per try, 1 to 600; seconds for the whole run, 1 to 21600 (a job's own limit, 6 hours).
    timeoutMs: milliseconds(env.DELIVERYBOT_REQUEST_TIMEOUT, 600),
    runTimeoutMs: milliseconds(env.DELIVERYBOT_RUN_TIMEOUT, 21_600),
    log: (level, message) => runner.log({ level, message }),
  });

  const engine = createEngine(
    {
      event_name: vars.GITHUB_EVENT_NAME,
      event,
      inputs,
      phase,
      state: runner.savedState(env),
      context: {
        repository: vars.GITHUB_REPOSITORY,
        run_id: vars.GITHUB_RUN_ID,
        server_url: withoutTrailingSlashes(vars.GITHUB_SERVER_URL),
        actor: env.GITHUB_ACTOR ?? '',
        // Who started this run: on a re-run, maybe not the actor (the engine then does not act on the actor's role).
        triggering_actor: env.GITHUB_TRIGGERING_ACTOR ?? '',
        job: env.GITHUB_JOB ?? '',
        ref_name: env.GITHUB_REF_NAME ?? '',
        // The engine reads no clock: `soak`, `serialize`, freeze windows and stuck deployments are judged at this time.
        now: new Date().toISOString(),
      },
    },
    await compiling,
  );
  let reply;
  let last = 'the start';
  for (;;) {
    const { log, next } = runStep(engine, reply, { eventName: vars.GITHUB_EVENT_NAME, after: last });
    for (const line of log) runner.log(line);
    if (next.type === 'done') return finish(next, env);
    if (next.type === 'zone') {
      runner.log({ level: 'debug', message: `time zone ${next.name}: read from the machine's tz database` });
      reply = { zone: readZone(next.name, env) };
      continue;
    }
    runner.log({ level: 'debug', message: `${next.method} ${next.path}: ${next.purpose}` });
    last = `${next.method} ${next.path}`;
    reply = await perform(next);
  }
}

/** A number of seconds from 1 to `max`, in milliseconds; undefined (the default) for anything else. */
function milliseconds(seconds, max) {
  const value = Number(seconds);
  return Number.isFinite(value) && value >= 1 && value <= max ? value * 1000 : undefined;
}

function withoutTrailingSlashes(url) {
  let end = url.length;
  while (end > 0 && url[end - 1] === '/') end -= 1;
  return url.slice(0, end);
}

function finish(outcome, env) {
  runner.writeKeyValues(env.GITHUB_OUTPUT, outcome.outputs);
  runner.writeKeyValues(env.GITHUB_STATE, outcome.state ?? []);
  runner.appendSummary(outcome.summary, env);
  if (outcome.failure) {
    runner.log({ level: 'error', message: outcome.failure });
    process.exitCode = 1;
  }
}

/**
 * Runs a step and turns anything thrown into a failed step with a readable message. The process ends
 * as soon as the step is done and stdout is written out: everything else was written synchronously,
 * and a natural exit would first tear down V8's heap and the WebAssembly engine, about 1 ms that the
 * runner waits for on every step (measured: time from the `exit` event to the process's end).
 */
export function start(phase) {
  run(phase)
    .catch((err) => {
      runner.log({ level: 'error', message: `Deliverybot stopped: ${err.message}` });
      process.exitCode = 1;
    })
    .then(() => process.stdout.write('', () => process.exit()));
}
