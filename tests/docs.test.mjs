// The README and docs/*.md as a reader follows them: every relative link names a file that exists,
// and every anchor (`#...`, in the same file or another) a heading of that file, slugged as GitHub
// slugs headings. And the README's key table is the reference's, so the two cannot drift apart.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FILES = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`)];
const read = (file) => readFileSync(join(ROOT, file), 'utf8');

/** A Markdown text without its fenced code blocks (their lines left empty, so line numbers hold). */
function prose(markdown) {
  let fence = null;
  return markdown.split('\n').map((line) => {
    const mark = /^ *(```|~~~)/.exec(line)?.[1];
    if (fence) { if (mark === fence) fence = null; return ''; }
    if (mark) { fence = mark; return ''; }
    return line;
  });
}

/** GitHub's anchor for a heading: its text lowercased, punctuation but `-` and `_` removed, spaces to `-`. */
export function slug(heading) {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a Markdown text's headings; a repeated one gets `-1`, `-2`, ... as on GitHub. */
function anchors(markdown) {
  const seen = new Map();
  for (const line of prose(markdown)) {
    const heading = /^#{1,6} +(.*?)(?: +#+)?$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = slug(heading);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    if (n) seen.set(`${base}-${n}`, 1);
  }
  return new Set(seen.keys());
}

/** Every inline link of a Markdown text outside code, `{ line, target }`; links elsewhere (`https:`, `mailto:`) are left out. */
function links(markdown) {
  const found = [];
  prose(markdown).forEach((line, i) => {
    const text = line.replace(/(`+)[^`]*?\1/g, (code) => 'x'.repeat(code.length));
    for (const [, target] of text.matchAll(/\]\(<?([^)\s>]+)>?(?: +"[^"]*")?\)/g)) {
      if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) found.push({ line: i + 1, target });
    }
  });
  return found;
}

/** What is broken among the relative links of `files` ({ name: text }), as `file:line: target: why`. */
export function brokenLinks(files, exists = (path) => existsSync(join(ROOT, path))) {
  const broken = [];
  for (const [file, text] of Object.entries(files)) {
    for (const { line, target } of links(text)) {
      const [path, anchor] = target.split('#');
      const resolved = path ? normalize(join(dirname(file), decodeURI(path))) : file;
      const where = `${file}:${line}: ${target}`;
      if (resolved.startsWith('..')) { broken.push(`${where}: outside the repository`); continue; }
      if (!(resolved in files) && !exists(resolved)) { broken.push(`${where}: no such file`); continue; }
      if (anchor === undefined) continue;
      if (!resolved.endsWith('.md')) { broken.push(`${where}: an anchor into a file that is not Markdown`); continue; }
      const text = files[resolved] ?? readFileSync(join(ROOT, resolved), 'utf8');
      if (!anchors(text).has(anchor)) broken.push(`${where}: no heading ${resolved}#${anchor}`);
    }
  }
  return broken;
}

test('every relative link and anchor in the README and docs/ resolves to a file and a heading', () => {
  const files = Object.fromEntries(FILES.map((file) => [file, read(file)]));
  assert.ok(FILES.length >= 10, FILES.join(', '));
  assert.ok(links(files['README.md']).filter(({ target }) => target.startsWith('docs/')).length >= 10, 'the README links to its docs');
  assert.deepEqual(brokenLinks(files), []);
});

test('each page of docs/ is linked from the README', () => {
  const linked = new Set(links(read('README.md')).map(({ target }) => target.split('#')[0]));
  assert.deepEqual(FILES.filter((file) => file !== 'README.md' && !linked.has(file)), []);
});

test('the link check finds a missing file, a missing heading, and follows GitHub\'s slugs', () => {
  assert.equal(slug('`deploy.yml` reference'), 'deployyml-reference');
  assert.equal(slug('Handing the deployment to your deploy workflow'), 'handing-the-deployment-to-your-deploy-workflow');
  assert.equal(slug('What issue 16 removed, and what it cost'), 'what-issue-16-removed-and-what-it-cost');
  assert.equal(slug('snake_case and ü: kept'), 'snake_case-and-ü-kept');
  const files = {
    'README.md': '# Title\n\n## Quick start\n\nSee [a](docs/a.md#one), [b](docs/b.md), [c](#quick-start), [d](#gone), [e](docs/a.md#two-1).\n\n```md\n[in code](#nowhere)\n```\n`[in code](#nowhere)` [out](https://example.com/#x)\n',
    'docs/a.md': '# One\n\n## Two\n\n## Two\n\nBack to [the start](../README.md#quick-start), [the title](../README.md#title), [missing](../README.md#one).\n',
  };
  assert.deepEqual(brokenLinks(files, () => false), [
    'README.md:5: docs/b.md: no such file',
    'README.md:5: #gone: no heading README.md#gone',
    'docs/a.md:7: ../README.md#one: no heading README.md#one',
  ]);
});

/** The rows of the first table whose header starts `| key |`, links left out (their paths differ by the file's place). */
function keyTable(markdown) {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.startsWith('| key |'));
  assert.ok(start >= 0, 'no key table');
  const end = lines.findIndex((line, i) => i > start && !line.startsWith('|'));
  return lines.slice(start, end).map((row) => row.replace(/\]\([^)]*\)/g, ']'));
}

test('the README\'s deploy.yml key table is the reference\'s', () => {
  const short = keyTable(read('README.md'));
  assert.ok(short.length > 15, `${short.length} rows`);
  assert.deepEqual(short, keyTable(read('docs/configuration.md')));
});
