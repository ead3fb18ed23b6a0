// The reference day of bench/jobs.mjs: a busy day of a repository with the Quick start's deploy.yml,
// as the webhook events GitHub sends, in order of time. Each event is a real payload from
// @octokit/webhooks-examples with its fields set (branch, action, state, context, commit), and says how
// it changes the repository (`apply`, on the fake GitHub of tests/support) when it happens.

import { createHash } from 'node:crypto';
import { webhookExample } from '../tests/support/action.mjs';

export const REPOSITORY = 'Codertocat/Hello-World';
export const DEFAULT_BRANCH = 'main';
const ZERO = '0'.repeat(40);

// ── the reference day ────────────────────────────────────────────────────────────────────────────

const sha = (label) => createHash('sha1').update(`commit ${label}`).digest('hex');
const at = (hours, minutes = 0) => hours * 60 + minutes;
export const clock = (time) => `${String(Math.floor(time / 60)).padStart(2, '0')}:${String(time % 60).padStart(2, '0')}`;

/**
 * The reference day, described. `features` pull requests from branches `feature-N`, each opened with
 * its first push, pushed to `pushesPerPull` times in all and merged into main (a merge commit), its
 * branch deleted; `mainPushes` more pushes straight to main; `developPushes` to a branch `develop` that
 * has no pull request; the release `tags` on main's last commit. Every branch push runs CI (`on: push`
 * and `pull_request`, so a pull request's pushes run it twice); two runs fail, the fifth on develop and
 * the second direct push's to main. Every commit gets an external service's `coverage` status, pending
 * then success. `plainComments` comments on each pull request (and with `commands`, a `/lock` then an
 * `/unlock` on the second), `issueComments` on issues.
 */
export const REFERENCE_DAY = { features: 6, pushesPerPull: 3, mainPushes: 4, developPushes: 12, tags: ['v1.4.0'], plainComments: 2, issueComments: 4, commands: true };

/** The day's events in order of time, each `{ time, kind, name, payload, apply(repo) }`. */
export function dayEvents(day = REFERENCE_DAY) {
  const events = [];
  const tips = new Map([[DEFAULT_BRANCH, sha('main at dawn')]]);
  const pulls = new Map(); // branch -> { number, head }
  let commits = 0;
  const add = (time, kind, name, payload, apply = () => {}) => events.push({ time, order: events.length, kind, name, payload, apply });

  const ciRun = (time, branch, commit, event, conclusion) => {
    const pull = pulls.get(branch);
    const pullRequests = pull ? [pullRef(pull.number, branch, commit)] : [];
    for (const [action, offset, status] of [['requested', 0, 'queued'], ['in_progress', 1, 'in_progress'], ['completed', 5, 'completed']]) {
      add(time + offset, 'CI runs (workflow_run)', 'workflow_run', workflowRunPayload({ action, branch, commit, event, status, conclusion: status === 'completed' ? conclusion : null, pullRequests }), (repo) =>
        repo.addCheckRun(commit, { name: 'ci', status, conclusion: status === 'completed' ? conclusion : null }));
    }
  };
  const coverage = (time, commit) => {
    for (const [state, offset] of [['pending', 1], ['success', 7]]) {
      add(time + offset, 'external statuses', 'status', null, (repo) => repo.addCommitStatus(commit, { context: 'coverage', state }));
      // Its branches are those whose tip the commit is when it is sent: filled in by the replay.
      events.at(-1).statusOf = { commit, state, context: 'coverage' };
    }
  };
  const push = (time, branch, { fails = false } = {}) => {
    const before = tips.get(branch) ?? ZERO;
    const commit = sha(`${branch} ${++commits}`);
    tips.set(branch, commit);
    add(time, branch === DEFAULT_BRANCH ? 'pushes to main' : 'pushes to other branches', 'push', pushPayload(`refs/heads/${branch}`, before, commit), (repo) => {
      repo.setCommit(commit, { message: `Change ${commits} on ${branch}`, parents: before === ZERO ? [] : [before] });
      repo.setRef(`heads/${branch}`, commit);
    });
    ciRun(time, branch, commit, 'push', fails ? 'failure' : 'success');
    coverage(time, commit);
    return commit;
  };

  // Work on develop, all day, every 40 minutes from 09:10; its 5th CI run fails.
  for (let i = 0; i < day.developPushes; i++) push(at(9, 10) + 40 * i, 'develop', { fails: i === 4 });
  // Pushes straight to main; the second's CI fails (staging is blocked until the next one).
  for (let i = 0; i < day.mainPushes; i++) push(at(9, 30) + 120 * i, DEFAULT_BRANCH, { fails: i === 1 });
  // The pull requests, one starting each hour from 09:00.
  for (let n = 1; n <= day.features; n++) {
    const branch = `feature-${n}`;
    const start = at(8 + n, 0);
    for (let p = 0; p < day.pushesPerPull; p++) {
      const time = start + 20 * p;
      const commit = push(time, branch);
      const action = p === 0 ? 'opened' : 'synchronize';
      if (p === 0) pulls.set(branch, { number: n, head: commit });
      pulls.get(branch).head = commit;
      add(time, 'pull requests', 'pull_request', pullPayload(n, action, branch, commit), (repo) => repo.setPull(n, { head: { ref: branch, sha: commit } }));
      ciRun(time, branch, commit, 'pull_request', 'success');
    }
    for (let c = 0; c < day.plainComments; c++) add(start + 10 + 20 * c, 'comments', 'issue_comment', commentPayload(n, 'Looks good to me.', true));
    if (day.commands && n === 2) {
      add(start + 12, 'comments', 'issue_comment', commentPayload(n, '/lock staging while we check the migration', true));
      add(start + 25, 'comments', 'issue_comment', commentPayload(n, '/unlock staging', true));
    }
    // Merged: the pull request closes, main gets the merge commit, the branch is deleted.
    const merged = start + 55;
    const head = pulls.get(branch).head;
    add(merged, 'pull requests', 'pull_request', pullPayload(n, 'closed', branch, head), (repo) => repo.setPull(n, { state: 'closed', merged: true, head: { ref: branch, sha: head } }));
    pulls.delete(branch);
    push(merged, DEFAULT_BRANCH);
    add(merged + 1, 'branch deletions', 'push', { ...pushPayload(`refs/heads/${branch}`, head, ZERO), deleted: true, created: false, head_commit: null }, (repo) => repo.refs.delete(`heads/${branch}`));
    tips.delete(branch);
  }
  for (let i = 0; i < day.issueComments; i++) add(at(10, 15) + 120 * i, 'comments', 'issue_comment', commentPayload(100 + i, 'Can we schedule this for next sprint?', false));
  // The release: a tag on main's last commit, at 17:00.
  const release = [...events].filter((e) => e.name === 'push' && e.payload.ref === `refs/heads/${DEFAULT_BRANCH}`).sort((a, b) => a.time - b.time).at(-1).payload.after;
  for (const tag of day.tags) add(at(17), 'tags', 'push', pushPayload(`refs/tags/${tag}`, ZERO, release), (repo) => repo.setRef(`tags/${tag}`, release));

  events.sort((a, b) => a.time - b.time || a.order - b.order);
  // A status names the branches whose tip its commit is when it is sent.
  const refs = new Map([[DEFAULT_BRANCH, sha('main at dawn')]]);
  for (const event of events) {
    if (event.name === 'push' && event.payload.ref.startsWith('refs/heads/')) {
      const branch = event.payload.ref.slice('refs/heads/'.length);
      if (event.payload.deleted) refs.delete(branch);
      else refs.set(branch, event.payload.after);
    }
    if (event.statusOf) event.payload = statusPayload(event.statusOf, [...refs].filter(([, tip]) => tip === event.statusOf.commit).map(([branch]) => branch));
  }
  return { events, commits, dawn: sha('main at dawn'), day };
}

/** Schedule events of a workflow's `on.schedule` over a day (minute and hour fields; the others `*`). */
export function scheduleEvents(on) {
  const events = [];
  for (const { cron } of on.schedule ?? []) {
    const [minute, hour, ...rest] = cron.trim().split(/\s+/);
    if (rest.some((field) => field !== '*')) throw new Error(`schedule ${cron}: only minute and hour fields are modelled`);
    for (let time = 0; time < 24 * 60; time++) {
      if (cronField(minute, time % 60) && cronField(hour, Math.floor(time / 60))) {
        events.push({ time, order: -1, kind: 'schedule', name: 'schedule', cron, payload: { schedule: cron, repository: repositoryPayload() }, apply: () => {} });
      }
    }
  }
  return events;
}

function cronField(field, value) {
  return field.split(',').some((part) => {
    const [range, step = '1'] = part.split('/');
    const [low, high] = range === '*' ? [0, 59] : range.includes('-') ? range.split('-').map(Number) : [Number(range), part.includes('/') ? 59 : Number(range)];
    return value >= low && value <= high && (value - low) % Number(step) === 0;
  });
}

// ── payloads: real examples with their fields set ────────────────────────────────────────────────

function repositoryPayload() {
  return { ...webhookExample('push').repository, default_branch: DEFAULT_BRANCH, master_branch: DEFAULT_BRANCH };
}

function pushPayload(ref, before, after) {
  const payload = webhookExample('push', (p) => p.ref.startsWith('refs/heads/') && !p.deleted);
  Object.assign(payload, { ref, before, after, created: before === ZERO, deleted: false, forced: false, base_ref: null, compare: '', repository: repositoryPayload() });
  payload.commits = [{ ...payload.head_commit, id: after, tree_id: after }];
  payload.head_commit = payload.commits[0];
  return payload;
}

function pullRef(number, branch, commit) {
  const repo = { id: webhookExample('push').repository.id, url: `https://api.github.com/repos/${REPOSITORY}`, name: 'Hello-World' };
  return { url: `https://api.github.com/repos/${REPOSITORY}/pulls/${number}`, id: number, number, head: { ref: branch, sha: commit, repo }, base: { ref: DEFAULT_BRANCH, sha: ZERO, repo } };
}

function pullPayload(number, action, branch, commit) {
  const payload = webhookExample('pull_request', (p) => p.action === 'opened');
  const repository = repositoryPayload();
  const pull = payload.pull_request;
  Object.assign(pull, { number, state: action === 'closed' ? 'closed' : 'open', merged: action === 'closed', draft: false, title: `Feature ${number}` });
  Object.assign(pull.head, { ref: branch, sha: commit, label: `Codertocat:${branch}`, repo: repository });
  Object.assign(pull.base, { ref: DEFAULT_BRANCH, label: `Codertocat:${DEFAULT_BRANCH}`, repo: repository });
  return { ...payload, action, number, repository };
}

function workflowRunPayload({ action, branch, commit, event, status, conclusion, pullRequests }) {
  const payload = webhookExample('workflow_run', (p) => p.action === 'completed');
  Object.assign(payload.workflow_run, { name: 'CI', event, head_branch: branch, head_sha: commit, status, conclusion, pull_requests: pullRequests });
  payload.workflow_run.head_commit = { ...payload.workflow_run.head_commit, id: commit, tree_id: commit };
  payload.workflow = { ...payload.workflow, name: 'CI', path: '.github/workflows/ci.yml' };
  return { ...payload, action, repository: repositoryPayload() };
}

function statusPayload({ commit, state, context }, branches) {
  const payload = webhookExample('status');
  Object.assign(payload, { sha: commit, state, context, description: null, target_url: null, repository: repositoryPayload() });
  payload.commit = { ...payload.commit, sha: commit };
  payload.branches = branches.map((name) => ({ name, commit: { sha: commit, url: '' }, protected: false }));
  return payload;
}

function commentPayload(number, body, onPull) {
  const payload = webhookExample('issue_comment', (p) => p.action === 'created');
  payload.issue = { ...payload.issue, number, state: 'open' };
  if (onPull) payload.issue.pull_request = { url: `https://api.github.com/repos/${REPOSITORY}/pulls/${number}` };
  else delete payload.issue.pull_request;
  payload.comment = { ...payload.comment, body };
  return { ...payload, repository: repositoryPayload() };
}
