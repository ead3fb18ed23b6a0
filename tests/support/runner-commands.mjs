// The workflow commands that the GitHub Actions runner would act on in a step's output, read by the
// runner's own rules (actions/runner: ProcessInvoker reads lines with .NET's StreamReader.ReadLine,
// OutputManager hands each to ActionCommandManager, ActionCommand parses `::name ...::data` after
// String.TrimStart, and the older `##[name ...]data` anywhere in a line; `stop-commands` pauses
// everything until its token comes back). A test oracle, written from that code independently of
// action/runner.mjs: the tests compare what the action prints with what this reads.
//
// It compares ordinally, as the runner does for plain text; the runner's culture-sensitive search may
// also skip characters that collate as nothing, which the action's guard covers (runner.test.mjs).

/** Every character .NET's char.IsWhiteSpace accepts, which String.TrimStart removes. */
export const DOTNET_WHITESPACE = [
  '\t', '\n', '\v', '\f', '\r', ' ', '\u0085', '\u00a0', '\u1680',
  '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200a',
  '\u2028', '\u2029', '\u202f', '\u205f', '\u3000',
];

/** Where StreamReader.ReadLine ends a line. */
export const LINE_BREAKS = ['\r\n', '\r', '\n'];

/** The commands the runner has (its ActionCommandExtensions, and `stop-commands`). */
const REGISTERED = ['add-mask', 'add-matcher', 'add-path', 'debug', 'echo', 'endgroup', 'error', 'group', 'notice', 'remove-matcher', 'save-state', 'set-env', 'set-output', 'stop-commands', 'warning'];

/** `[{ name, data }]`: each command the runner parses and acts on (stop and resume included), in order. */
export function runnerCommands(output) {
  const commands = [];
  let stopToken;
  for (const line of output.split(/\r\n|\r|\n/)) {
    // Names are compared ignoring case; while paused, the stop token is a command too.
    const known = (name) => REGISTERED.includes(name.toLowerCase()) || (stopToken !== undefined && name.toUpperCase() === stopToken.toUpperCase());
    const command = [parseV2(line), parseLegacy(line)].find((parsed) => parsed !== undefined && known(parsed.name));
    if (command === undefined) continue;
    if (stopToken !== undefined) {
      // Paused: only the token resumes.
      if (command.name.toUpperCase() !== stopToken.toUpperCase()) continue;
      stopToken = undefined;
    } else if (command.name.toLowerCase() === 'stop-commands') {
      stopToken = command.data;
    }
    commands.push(command);
  }
  return commands;
}

/** `::name properties::data`, after the line's leading white space. */
function parseV2(line) {
  let start = 0;
  while (start < line.length && DOTNET_WHITESPACE.includes(line[start])) start += 1;
  const trimmed = line.slice(start);
  if (!trimmed.startsWith('::')) return undefined;
  const end = trimmed.indexOf('::', 2);
  return end === -1 ? undefined : { name: trimmed.slice(2, end).split(' ')[0], data: trimmed.slice(end + 2) };
}

/** `##[name properties]data`, anywhere in the line. */
function parseLegacy(line) {
  const at = line.indexOf('##[');
  const bracket = at === -1 ? -1 : line.indexOf(']', at);
  return bracket === -1 ? undefined : { name: line.slice(at + 3, bracket).split(' ')[0], data: line.slice(bracket + 1) };
}
