// The monorepo recipe of docs/recipes.md (twenty services in one deploy.yml, each deployed when its own files
// change) in a fake GitHub, for its end-to-end test (tests/paths.test.mjs) and the benchmark
// (bench/run.mjs --only monorepo): the numbers the recipe gives come from these two.

import { readFileSync } from 'node:fs';
import { webhookExample } from './action.mjs';
import { startFakeGitHub } from './fake-github.mjs';

/** The recipe, as written in docs/recipes.md. */
export const RECIPE = (() => {
  const readme = readFileSync(new URL('../../docs/recipes.md', import.meta.url), 'utf8');
  const start = readme.indexOf('# .github/deploy.yml: a monorepo\n');
  if (start < 0) throw new Error('docs/recipes.md has no monorepo recipe');
  return readme.slice(start, readme.indexOf('```', start));
})();

export const SERVICES = [...RECIPE.matchAll(/^([a-z]+): +\{ <<: \*service/gm)].map((m) => m[1]);

export const sha = (n) => n.toString(16).padStart(40, 'c');
/** The commit every service starts from, and the one pushed. */
export const ROOT = sha(1);
export const HEAD = sha(2);

/** A fake GitHub holding the recipe on `main`, at the root commit. Close it with `fake.close()`. */
export async function monorepo() {
  const fake = await startFakeGitHub();
  const repo = fake.repo('Codertocat/Hello-World', { defaultBranch: 'main' });
  repo.setFile('main', '.github/deploy.yml', RECIPE);
  repo.setCommit(ROOT, { files: ['README.md'] });
  return { fake, repo };
}

/** A deployment of `commit` by `service`, as Deliverybot makes them. */
export function deployed(repo, service, commit) {
  return repo.addDeployment({ sha: commit, ref: 'main', environment: service, payload: { target: service } });
}

/** The push of `head` to main, as its webhook says it. */
export function pushPayload(head) {
  const payload = webhookExample('push', (p) => p.ref === 'refs/heads/master' && !p.deleted);
  Object.assign(payload, { ref: 'refs/heads/main', after: head });
  payload.repository.default_branch = 'main';
  return payload;
}

/**
 * Makes `head` (a child of `parent`, changing `files`) main's tip, with CI green on it, and
 * returns the push's payload.
 */
export function pushed(repo, parent, files, head = HEAD) {
  repo.setCommit(head, { parents: [parent], files });
  repo.setRef('heads/main', head);
  repo.addCommitStatus(head, { context: 'ci', state: 'success' });
  return pushPayload(head);
}
