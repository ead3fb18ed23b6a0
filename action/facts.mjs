// `deliverybot plan` offline: answers the engine's read requests from local facts instead of GitHub.
//
// The config comes from the local file; the rest from a facts file and flags (docs/cli.md, "deliverybot
// plan"): nothing deployed, no checks reported, every ref at the event's commit unless the facts say
// otherwise. Answers have the shape of GitHub's, reduced to what a reader of them needs. A write
// request is a bug in plan mode (the engine runs with dry-run): it throws rather than answer.

import { createHash } from 'node:crypto';

const LOCKS = 'deliverybot/locks/';
const RUNNING = new Set(['queued', 'in_progress', 'pending', 'waiting', 'requested']);

/** Throws when a plan would write: `deliverybot plan` never sends or fakes a write. */
export function refuseWrites(request) {
  if (request.method !== 'GET') {
    throw new Error(`the engine asked to write (${request.method} ${request.path}: ${request.purpose}) during a plan; nothing was sent. This is a bug: please report it`);
  }
}

/**
 * `(request) => reply` over `facts` (the facts file's shape, docs/cli.md), for `repository` (owner/name);
 * `config` is `{ path, text }`: the engine's config path and the local file's text.
 */
export function factsResponder({ repository, config, facts = {} }) {
  const prefix = `/repos/${repository.split('/').map(encodeURIComponent).join('/')}`;
  const refs = facts.refs ?? {};
  const deployments = (facts.deployments ?? []).map((d, i) => ({ id: i + 1, ...d }));
  const locks = Object.entries(facts.locks ?? {}).map(([environment, lock]) => {
    const record = typeof lock === 'string' ? { reason: lock } : lock;
    return { environment, sha: fakeSha(`lock ${environment}`), by: record.by ?? 'someone', reason: record.reason ?? '', pr: record.pr ?? null, since: record.since ?? '' };
  });
  const ok = (body, headers = {}) => ({ status: 200, headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const notFound = (what) => ({ status: 404, headers: {}, body: JSON.stringify({ message: `Not Found (${what})` }) });

  /** Where a ref (`heads/main`) points: the facts, else the event's commit; `null` in the facts: no such ref. */
  const tip = (name) => (name in refs ? refs[name] : facts.sha ?? null);
  /** A commit by sha, branch or tag name. */
  const resolve = (reference) => (/^[0-9a-f]{40}$/.test(reference) ? reference : tip(`heads/${reference}`) ?? tip(`tags/${reference}`));

  const routes = [
    [/^\/contents\/(.+)$/, ([path]) => (path === config.path ? ok(config.text, { 'content-type': 'application/vnd.github.raw+json; charset=utf-8' }) : notFound(`no file ${path}`))],
    [/^\/deployments$/, (_, query) => {
      const matching = deployments.filter((d) => ['environment', 'sha', 'ref', 'task'].every((k) => query[k] === undefined || d[k] === undefined || d[k] === query[k]));
      return page(matching.map((d) => deploymentJson(d, query.sha)), query);
    }],
    [/^\/deployments\/(\d+)\/statuses$/, ([id]) => {
      const found = deployments.find((d) => String(d.id) === id);
      const status = found && { id: Number(id) * 10, state: found.state, created_at: found.status_at ?? found.created_at ?? '2020-01-01T00:00:00Z' };
      return found ? ok(found.state ? [status] : []) : notFound(`no deployment ${id}`);
    }],
    [/^\/commits\/([^/]+)\/status$/, ([sha], query) =>
      page(Object.entries(facts.statuses ?? {}).map(([context, state]) => ({ context, state })), query, (items) => ({ sha, total_count: items.length, statuses: items }))],
    [/^\/commits\/([^/]+)\/check-runs$/, ([sha], query) => {
      const runs = Object.entries(facts.check_runs ?? {}).map(([name, state]) =>
        RUNNING.has(state) ? { name, head_sha: sha, status: state, conclusion: null } : { name, head_sha: sha, status: 'completed', conclusion: state });
      return page(runs, query, (items) => ({ total_count: runs.length, check_runs: items }));
    }],
    [/^\/commits\/([^/]+)$/, ([reference]) => {
      const sha = resolve(reference);
      if (!sha) return notFound(`no commit ${reference}`);
      return ok({ sha, commit: { message: '', author: { name: '', email: '', date: '' } }, ...facts.commits?.[sha] });
    }],
    [/^\/git\/ref\/(.+)$/, ([name]) => {
      const sha = tip(name);
      return sha ? ok({ ref: `refs/${name}`, object: { sha, type: 'commit' } }) : notFound(`no ref ${name}`);
    }],
    [/^\/git\/matching-refs\/(.*)$/, ([start]) => {
      const listed = Object.entries(refs).filter(([name, sha]) => sha && name.startsWith(start)).map(([name, sha]) => ({ ref: `refs/${name}`, object: { sha, type: 'commit' } }));
      // A lock's ref names its environment as the facts spell it (percent-encoded, as the engine
      // decodes lock refs): which environments a lock holds is the engine's rule alone.
      const locked = locks.map((l) => ({ ref: `refs/${LOCKS}${encodeURIComponent(l.environment)}`, object: { sha: l.sha, type: 'tag' } })).filter((r) => r.ref.startsWith(`refs/${start}`));
      return ok([...listed, ...locked]);
    }],
    [/^\/git\/tags\/([^/]+)$/, ([sha]) => {
      const lock = locks.find((l) => l.sha === sha);
      if (!lock) return notFound(`no tag object ${sha}`);
      const { environment, by, reason, pr } = lock;
      return ok({ sha, message: JSON.stringify({ environment, by, reason, pr }), tagger: { name: by, date: lock.since } });
    }],
    // The pull requests of the facts (a pull request event's own by default): by head commit, or the open ones.
    [/^\/commits\/([^/]+)\/pulls$/, ([sha], query) => page(Object.values(facts.pulls ?? {}).filter((pr) => pr?.head?.sha === sha), query)],
    [/^\/pulls$/, (_, query) => page(Object.values(facts.pulls ?? {}).filter((pr) => (pr?.state ?? 'open') === 'open'), query)],
    [/^\/pulls\/(\d+)$/, ([number]) => (facts.pulls?.[number] ? ok(facts.pulls[number]) : notFound(`no pull request #${number} in the facts`))],
    // Someone's role: the facts', else write (the role a dispatch or a `/deploy` needs by default).
    [/^\/collaborators\/([^/]+)\/permission$/, ([login]) => {
      const role = facts.permissions?.[login] ?? 'write';
      if (role === 'none') return notFound(`${login} is no collaborator`);
      return ok({ permission: { maintain: 'write', triage: 'read' }[role] ?? role, role_name: role, user: { login } });
    }],
    // What changed since a target's last deployment (`paths:`): the facts' files, whatever the
    // commits compared; without them, nothing to compare with (the engine then deploys, saying so).
    [/^\/compare\/([^/]+)\.\.\.([^/]+)$/, () =>
      Array.isArray(facts.changed)
        ? ok({ status: 'ahead', ahead_by: 1, behind_by: 0, total_commits: 1, commits: [], files: facts.changed.map((filename) => ({ filename, status: 'modified' })) })
        : notFound('no changed files in the facts: give --changed')],
  ];

  function page(items, query, wrap = (x) => x) {
    const size = Number(query.per_page ?? 30);
    const number = Number(query.page ?? 1);
    const more = items.length > number * size;
    return ok(wrap(items.slice((number - 1) * size, number * size)), more ? { link: `<https://api.github.com${prefix}?page=${number + 1}>; rel="next"` } : {});
  }

  return (request) => {
    refuseWrites(request);
    if (!request.path.startsWith(`${prefix}/`)) return notFound(`not in ${repository}`);
    const rest = request.path.slice(prefix.length);
    const query = Object.fromEntries(request.query);
    for (const [pattern, answer] of routes) {
      const match = pattern.exec(rest);
      if (match) return answer(match.slice(1).map(decodeURIComponent), query);
    }
    return notFound(`no fact for GET ${rest}`);
  };
}

function deploymentJson(d, sha) {
  return {
    id: d.id,
    sha: d.sha ?? sha ?? '',
    ref: d.ref ?? '',
    task: d.task ?? 'deploy',
    environment: d.environment,
    // Deliverybot's own say the ref they came from in their payload.
    payload: d.payload ?? (d.ref?.startsWith('refs/') ? { deliverybot: { ref: d.ref } } : {}),
    transient_environment: d.transient_environment ?? false,
    production_environment: d.production_environment ?? false,
    created_at: d.created_at ?? '2020-01-01T00:00:00Z',
    url: `https://api.github.com/deployments/${d.id}`,
  };
}

function fakeSha(text) {
  return createHash('sha1').update(text).digest('hex');
}
