// The runner protocol's guard for untrusted log text (action/runner.mjs), on its own: the end-to-end
// tests reach it only through the messages the engine writes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandLike, log } from '../action/runner.mjs';

// What the runner reads as a command: `::` at the start of a line after whitespace, `##[` anywhere.
const COMMAND = /^\s*::|##\[/m;

test('text that the runner could read as a workflow command is recognized as the pattern says', () => {
  // Every string of up to 4 pieces from an alphabet of what matters: colons, the legacy marker,
  // JavaScript's whitespace and line breaks (\s and /m know more than space and \n), other text.
  const pieces = [':', '::', '#', '##[', '[', ' ', '\t', '\u00a0', '\u3000', '\n', '\r', '\u2028', '\u2029', 'a', 'é', '\ud83d\ude80'];
  let checked = 0;
  const grow = (text, depth) => {
    assert.equal(commandLike(text), COMMAND.test(text), JSON.stringify(text));
    checked += 1;
    if (depth < 4) for (const piece of pieces) grow(text + piece, depth + 1);
  };
  grow('', 0);
  assert.equal(checked, 1 + 16 + 16 ** 2 + 16 ** 3 + 16 ** 4);
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
