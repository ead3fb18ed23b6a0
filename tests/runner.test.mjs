// The runner protocol's guard for outside text in log lines (action/runner.mjs), on its own, checked
// against the runner's own reading of a step's output (support/runner-commands.mjs): the end-to-end
// tests reach it only through the messages the engine writes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandLike, log } from '../action/runner.mjs';
import { DOTNET_WHITESPACE, LINE_BREAKS, runnerCommands } from './support/runner-commands.mjs';

/** What the runner acts on when `message` is logged at `level`, by name, with the pause's own token as `token`. */
function printed(message, level = 'info') {
  const lines = [];
  log({ level, message }, (line) => lines.push(line));
  const output = `${lines.join('\n')}\n`;
  const token = /^::stop-commands::(\S+)$/m.exec(output)?.[1];
  return runnerCommands(output).map(({ name }) => (name === token ? 'token' : name));
}

const hex = (ch) => `U+${ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
const INJECTION = '::save-state name=deployment::666';

for (const space of DOTNET_WHITESPACE) {
  test(`a command after a line break and ${hex(space)} (white space to the runner) is not acted on`, () => {
    const message = `@someone commented \`/deploy x\r${space}${INJECTION}\` on #1.`;
    assert.deepEqual(runnerCommands(message).map(({ name }) => name), ['save-state'], 'printed as it is, the runner would save state');
    assert.ok(commandLike(message));
    assert.deepEqual(printed(message), ['stop-commands', 'token']);
    // As an annotation, the message stays on the command's own line.
    assert.deepEqual(printed(message, 'warning'), ['warning']);
  });
}

for (const lineBreak of LINE_BREAKS) {
  test(`a command after ${JSON.stringify(lineBreak)} (a line break to the runner) is not acted on`, () => {
    const message = `a${lineBreak}${INJECTION}`;
    assert.deepEqual(runnerCommands(message).map(({ name }) => name), ['save-state']);
    assert.deepEqual(printed(message), ['stop-commands', 'token']);
    assert.deepEqual(printed(`a${lineBreak}##[add-mask]x`), ['stop-commands', 'token']);
    assert.deepEqual(printed(message, 'error'), ['error']);
  });
}

test('what JavaScript calls a line break or space but the runner does not: no command, printed as it is', () => {
  for (const ch of ['\u2028', '\u2029', '\ufeff']) {
    const message = `a${ch}${INJECTION}`;
    assert.deepEqual(runnerCommands(message), [], hex(ch));
    assert.equal(commandLike(message), false, hex(ch));
    assert.deepEqual(printed(message), []);
  }
});

test('characters that collate as nothing (which the runner\'s culture-sensitive search may skip) count as absent', () => {
  // U+0000, a soft hyphen, zero-width space and joiner, word joiner, byte order mark, a variation selector.
  for (const ch of ['\u0000', '\u00ad', '\u200b', '\u200d', '\u2060', '\ufeff', '\ufe0f']) {
    for (const message of [`a\n${ch}${INJECTION}`, `a\n:${ch}:save-state name=x::1`, `#${ch}#[add-mask]x`, `a\n${ch} \u0085${INJECTION}`]) {
      assert.ok(commandLike(message), `${hex(ch)} in ${JSON.stringify(message)}`);
      assert.deepEqual(printed(message), ['stop-commands', 'token']);
    }
  }
});

test('no text of up to 4 pieces makes the runner act on anything but the pause', () => {
  // Every string of up to 4 pieces from an alphabet of what matters: colons, the legacy marker, the
  // runner's white space and line breaks, JavaScript's that are not the runner's, other text.
  const pieces = ['::', ':', '##[', ']', 'debug', ' ', '\t', '\u0085', '\u00a0', '\u3000', '\n', '\r', '\u2028', '\ufeff', 'a'];
  let checked = 0;
  let paused = 0;
  const grow = (text, depth) => {
    const commands = printed(text);
    if (commands.length > 0) {
      assert.deepEqual(commands, ['stop-commands', 'token'], JSON.stringify(text));
      paused += 1;
    } else {
      assert.deepEqual(runnerCommands(text), [], JSON.stringify(text));
    }
    checked += 1;
    if (depth < 4) for (const piece of pieces) grow(text + piece, depth + 1);
  };
  grow('', 0);
  assert.equal(checked, 1 + 15 + 15 ** 2 + 15 ** 3 + 15 ** 4);
  assert.ok(paused > 1000, `${paused} texts needed the pause`);
});

test('a message that looks like a command is printed with command processing paused around it', () => {
  const lines = [];
  log({ level: 'info', message: 'deploying\n  ::set-output name=x::1' }, (line) => lines.push(line));
  assert.equal(lines.length, 3);
  const token = lines[0].match(/^::stop-commands::(deliverybot-\w+)$/)[1];
  assert.deepEqual(lines.slice(1), ['deploying\n  ::set-output name=x::1', `::${token}::`]);
  lines.length = 0;
  log({ level: 'info', message: 'a: b :: c' }, (line) => lines.push(line));
  assert.deepEqual(lines, ['a: b :: c']);
});
