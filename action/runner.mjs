// The GitHub Actions runner's side of the contract: inputs from `INPUT_*`, outputs, state and the
// job summary through the files the runner names, and workflow commands on stdout. Written out here
// (instead of importing @actions/core) because these few lines are all the action needs, and the
// toolkit would add its HTTP client to the bundle and to every cold start.

import { appendFileSync } from './builtins.mjs';

/**
 * A marker that `text` does not contain. What makes it safe is the check, not the randomness, so
 * Math.random is enough (node:crypto would add milliseconds to every cold start).
 */
function marker(prefix, text) {
  for (;;) {
    const candidate = `${prefix}${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
    if (!text.includes(candidate)) return candidate;
  }
}

/** Every input the runner passed, by its name in action.yml (`dry-run`, `config`, ...). */
export function inputs(env = process.env) {
  return prefixed(env, 'INPUT_', (name) => name.toLowerCase());
}

/** What the main step saved for the post step: the runner passes it back as `STATE_*` variables. */
export function savedState(env = process.env) {
  return prefixed(env, 'STATE_', (name) => name);
}

/** The variables whose names start with `prefix`, by `rename` of the rest of their names. */
function prefixed(env, prefix, rename) {
  const found = {};
  // Names first, then only the values wanted: each read of process.env is a call into Node, and a
  // runner sets about a hundred variables (Object.entries read them all: 4x the time, measured).
  for (const key of Object.keys(env)) {
    if (key.startsWith(prefix)) found[rename(key.slice(prefix.length))] = env[key];
  }
  return found;
}

/** The `GITHUB_*` variables a run needs; a missing one is named rather than guessed. */
export function requireEnv(names, env = process.env) {
  const missing = names.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not set: run this as a step of a GitHub Actions job`);
  }
  return Object.fromEntries(names.map((name) => [name, env[name]]));
}

/** Writes `name=value` pairs to a runner file (GITHUB_OUTPUT, GITHUB_STATE) with a delimiter no value contains. */
export function writeKeyValues(file, pairs) {
  if (!file) return false;
  let text = '';
  for (const [name, value] of pairs) {
    const delimiter = marker('ghadelimiter_', `${name}\n${value}`);
    text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  appendFileSync(file, text);
  return true;
}

export function appendSummary(markdown, env = process.env) {
  if (env.GITHUB_STEP_SUMMARY && markdown) appendFileSync(env.GITHUB_STEP_SUMMARY, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
}

export function mask(secret, write = print) {
  if (secret) write(`::add-mask::${escapeData(secret)}`);
}

/**
 * Prints one engine log line. Messages carry text from users (branch names, commit messages); a
 * message that holds something the runner could read as a workflow command (`::` at the start of
 * a line, `##[` anywhere) is printed with command processing paused around it, the way GitHub
 * documents for echoing untrusted text.
 */
export function log({ level, message, annotation }, write = print) {
  if (level === 'info') {
    writeUntrusted(message, write);
    return;
  }
  const command = { debug: 'debug', notice: 'notice', warning: 'warning', error: 'error' }[level] ?? 'notice';
  const properties = annotation
    ? ` file=${escapeProperty(annotation.file)},line=${annotation.line},col=${annotation.column}`
    : '';
  write(`::${command}${properties}::${escapeData(message)}`);
}

function writeUntrusted(message, write) {
  if (!commandLike(message)) {
    write(message);
    return;
  }
  const token = marker('deliverybot-', message);
  write(`::stop-commands::${token}`);
  write(message);
  write(`::${token}::`);
}

/**
 * Whether the runner could read a workflow command in `message`: `::` at the start of a line after
 * any whitespace, or the older `##[` anywhere. (What /^\s*::|##\[/m matches, without a regular
 * expression: every one that a step runs is compiled on its cold start.)
 */
export function commandLike(message) {
  if (message.includes('##[')) return true;
  for (let at = message.indexOf('::'); at !== -1; at = message.indexOf('::', at + 2)) {
    // Back over the whitespace before it: to the start of the text, or across a line break.
    let start = at;
    while (start > 0 && message[start - 1].trim() === '') {
      start -= 1;
      if ('\n\r\u2028\u2029'.includes(message[start])) return true;
    }
    if (start === 0) return true;
  }
  return false;
}

function print(line) {
  process.stdout.write(`${line}\n`);
}

// Workflow command escaping, as the runner decodes it.
function escapeData(text) {
  return String(text).replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function escapeProperty(text) {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}
