// The GitHub Actions runner's side of the contract: inputs from `INPUT_*`, outputs, state and the
// job summary through the files the runner names, and workflow commands on stdout. Written out here
// (instead of importing @actions/core) because these few lines are all the action needs, and the
// toolkit would add its HTTP client to the bundle and to every cold start.

import { appendFileSync } from './builtins.mjs';

/**
 * A marker that `text` does not contain, in any case: the runner compares a stop token ignoring case.
 * What makes it safe is the check, not the randomness, so Math.random is enough.
 */
function marker(prefix, text) {
  const upper = text.toUpperCase();
  for (;;) {
    const candidate = `${prefix}${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
    if (!upper.includes(candidate.toUpperCase())) return candidate;
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
 * Prints one engine log line. Messages carry text from outside (branch names, comments, titles); a
 * message that holds something the runner could read as a workflow command is printed with command
 * processing paused around it, the way GitHub documents for echoing untrusted text. Other levels
 * are one workflow command each, whose message is escaped onto its line.
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

// How the runner reads a step's output (actions/runner: ProcessInvoker reads lines with .NET's
// StreamReader.ReadLine; ActionCommand.TryParseV2 trims the start with String.TrimStart and looks
// for `::`; TryParse looks for the older `##[` anywhere in the line):
//
// - a line ends at `\r`, `\n` or `\r\n`, and nowhere else (U+2028, U+2029 and U+0085 do not end one);
// - the start is trimmed of every character .NET calls white space (char.IsWhiteSpace), which is not
//   JavaScript's list: .NET has U+0085 NEXT LINE, JavaScript has U+FEFF instead;
// - `::` and `##[` are found with culture-sensitive comparisons (ICU), which may skip characters
//   that collate as nothing: controls and format characters such as U+00AD or U+200B. Those are
//   skipped here too, everywhere in the line, so that whatever the runner could read as a command
//   is treated as one (reading a little more as a command only adds the pause around it).
const LINE_BREAK = /\r\n|\r|\n/;
const DOTNET_LEADING_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
const COLLATES_AS_NOTHING = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * Whether the runner could read a workflow command in `message`: a line that starts with `::` once
 * its leading white space is trimmed, or that holds `##[` anywhere, by the rules above.
 */
export function commandLike(message) {
  // Either needs two colons or a `#`: most messages have neither, and are done with here.
  if (message.indexOf(':', message.indexOf(':') + 1) === -1 && !message.includes('#')) return false;
  for (const line of message.split(LINE_BREAK)) {
    const visible = line.replace(COLLATES_AS_NOTHING, '').replace(DOTNET_LEADING_SPACE, '');
    if (visible.startsWith('::') || visible.includes('##[')) return true;
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
