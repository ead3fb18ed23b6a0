// An in-memory fake of the GitHub REST API on 127.0.0.1 for end-to-end tests.
//
// Every request is matched against GitHub's OpenAPI description
// (openapi.mjs) and recorded in `fake.requests`; bodies GitHub's schema
// rejects get the 422 GitHub would send and show up in `fake.invalid()`.
// Repository state and rules live in fake-github-repo.mjs, the larger
// response objects in fake-github-objects.mjs; this file is the HTTP side:
// auth, routing, pagination and injected faults.

import { createServer, STATUS_CODES } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { commitJson, contentJson, gitSha, pullJson } from './fake-github-objects.mjs';
import { ApiError, FakeRepo, notFound } from './fake-github-repo.mjs';
import { matchOperation, validateBody, validateQuery } from './openapi.mjs';

const DOCS = 'https://docs.github.com/rest';
// application/vnd.github.raw, .raw+json and the older .v3.raw.
const RAW_MEDIA_TYPE = /application\/vnd\.github(\.v3)?\.raw/;
const FAULT_MODES = new Set(['after-write', 'delay', 'reset', 'trickle']);

const errorBody = (status, message, extra = {}) => ({
  message,
  ...extra,
  documentation_url: DOCS,
  status: String(status),
});
const reply = (status, body, headers = {}) => ({ status, body, headers });

// GitHub's page-based pagination, including its Link header: rel order
// prev, next, last, first, each URL keeping the request's other parameters.
function paginate(items, query, requestUrl) {
  const perPage = Math.min(100, Math.max(1, Math.trunc(Number(query.per_page)) || 30));
  const page = Math.max(1, Math.trunc(Number(query.page)) || 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (number, rel) => {
    const url = new URL(requestUrl);
    url.searchParams.set('page', String(number));
    return `<${url}>; rel="${rel}"`;
  };
  const links = [];
  if (page > 1) links.push(link(page - 1, 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  return {
    items: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length > 0 ? { link: links.join(', ') } : {},
  };
}

function latestByName(runs) {
  const latest = new Map();
  for (const run of runs) latest.set(run.name, run);
  return [...latest.values()];
}

function orThrow(value, error = notFound()) {
  if (value === null || value === undefined) throw error;
  return value;
}

// One handler per operation of the fixture, by operationId. Each receives
// { repo, params, query, body, headers, requestUrl } and returns a reply, or
// throws an ApiError for GitHub's error answers.
const ROUTES = {
  'repos/get-content'({ repo, params, query, headers }) {
    const ref = query.ref ?? repo.defaultBranch;
    const text = orThrow(repo.readFile(ref, params.path));
    if (RAW_MEDIA_TYPE.test(headers.accept ?? '')) {
      return reply(200, text, { 'content-type': 'text/plain; charset=utf-8' });
    }
    return reply(200, contentJson(repo, ref, params.path, text));
  },

  'repos/list-deployments'({ repo, query, requestUrl }) {
    const filters = ['sha', 'ref', 'task', 'environment'].filter((name) => query[name] !== undefined);
    const matching = repo.deployments.filter((d) => filters.every((name) => d[name] === query[name]));
    const { items, headers } = paginate(matching.reverse(), query, requestUrl);
    return reply(200, items, headers);
  },

  'repos/create-deployment'({ repo, body }) {
    const deployment = repo.createDeployment(body);
    if (deployment) return reply(201, deployment);
    return reply(202, { message: `Auto-merged ${repo.defaultBranch} into ${body.ref} on deployment.` });
  },

  'repos/get-deployment'({ repo, params }) {
    return reply(200, orThrow(repo.deployment(params.deployment_id)));
  },

  'repos/list-deployment-statuses'({ repo, params, query, requestUrl }) {
    const deployment = orThrow(repo.deployment(params.deployment_id));
    const newestFirst = [...repo.deploymentStatuses.get(deployment.id)].reverse();
    const { items, headers } = paginate(newestFirst, query, requestUrl);
    return reply(200, items, headers);
  },

  'repos/create-deployment-status'({ repo, params, body }) {
    return reply(201, repo.addDeploymentStatus(params.deployment_id, body));
  },

  'repos/get-combined-status-for-ref'({ repo, params, query, requestUrl }) {
    const combined = repo.combinedStatus(orThrow(repo.resolveCommit(params.ref)));
    const { items, headers } = paginate(combined.statuses, query, requestUrl);
    return reply(200, { ...combined, statuses: items }, headers);
  },

  'checks/list-for-ref'({ repo, params, query, requestUrl }) {
    const sha = orThrow(repo.resolveCommit(params.ref), new ApiError(422, `No commit found for SHA: ${params.ref}`));
    let runs = repo.checkRuns.get(sha) ?? [];
    // filter=latest (the default) keeps the most recent run of each name.
    if (query.filter !== 'all') runs = latestByName(runs);
    if (query.check_name) runs = runs.filter((run) => run.name === query.check_name);
    if (query.status) runs = runs.filter((run) => run.status === query.status);
    const { items, headers } = paginate(runs, query, requestUrl);
    return reply(200, { total_count: runs.length, check_runs: items }, headers);
  },

  'repos/get-commit'({ repo, params }) {
    const sha = repo.resolveCommit(params.ref);
    const info = orThrow(sha && repo.commitInfo(sha), new ApiError(422, `No commit found for SHA: ${params.ref}`));
    return reply(200, commitJson(repo, sha, info));
  },

  // Commits are paged (oldest first; without per_page or page, the first 250); the files, at most
  // 300 for the whole comparison, come on the first page only, as GitHub documents.
  'repos/compare-commits-with-basehead'({ repo, params, query, requestUrl }) {
    const [base, head, ...rest] = params.basehead.split('...');
    if (!base || !head || rest.length > 0) throw notFound();
    const { status, ahead, behind, mergeBase, baseSha, files } = repo.compare(base, head);
    const paged = query.per_page !== undefined || query.page !== undefined;
    const { items, headers } = paged ? paginate(ahead, query, requestUrl) : { items: ahead.slice(-250), headers: {} };
    const commit = (sha) => commitJson(repo, sha, repo.commitInfo(sha));
    const first = !paged || (Math.trunc(Number(query.page)) || 1) === 1;
    const fileJson = (file) => ({
      sha: gitSha('blob', file.filename),
      filename: file.filename,
      status: file.status ?? 'modified',
      additions: 1,
      deletions: 1,
      changes: 2,
      blob_url: `https://github.com/${repo.fullName}/blob/${head}/${file.filename}`,
      raw_url: `https://github.com/${repo.fullName}/raw/${head}/${file.filename}`,
      contents_url: `${repo.url}/contents/${file.filename}?ref=${head}`,
      ...(file.previous_filename ? { previous_filename: file.previous_filename } : {}),
    });
    return reply(
      200,
      {
        url: `${repo.url}/compare/${params.basehead}`,
        html_url: `https://github.com/${repo.fullName}/compare/${params.basehead}`,
        permalink_url: `https://github.com/${repo.fullName}/compare/${repo.owner}:${baseSha}...${repo.owner}:${ahead.at(-1) ?? baseSha}`,
        diff_url: `https://github.com/${repo.fullName}/compare/${params.basehead}.diff`,
        patch_url: `https://github.com/${repo.fullName}/compare/${params.basehead}.patch`,
        base_commit: commit(baseSha),
        merge_base_commit: commit(mergeBase),
        status,
        ahead_by: ahead.length,
        behind_by: behind.length,
        total_commits: ahead.length,
        commits: items.map(commit),
        ...(first ? { files: files.map(fileJson) } : {}),
      },
      headers,
    );
  },

  'repos/create-commit-status'({ repo, params, body }) {
    if (!/^[0-9a-f]{40}$/i.test(params.sha)) throw new ApiError(422, `No commit found for SHA: ${params.sha}`);
    return reply(201, repo.addCommitStatus(params.sha, body));
  },

  'repos/get-branch'({ repo, params }) {
    return reply(200, orThrow(repo.branchJson(params.branch), new ApiError(404, 'Branch not found')));
  },

  'git/get-ref'({ repo, params }) {
    return reply(200, orThrow(repo.refJson(params.ref)));
  },

  // Not paged: GitHub ignores per_page and page here and sends every match
  // (the description declares neither, so the fake flags them as invalid).
  'git/list-matching-refs'({ repo, params }) {
    return reply(200, repo.matchingRefsJson(params.ref));
  },

  'git/create-ref'({ repo, body }) {
    return reply(201, repo.createRef(body));
  },

  'git/update-ref'({ repo, params, body }) {
    return reply(200, repo.updateRef(params.ref, body));
  },

  'git/delete-ref'({ repo, params }) {
    repo.deleteRef(params.ref);
    return reply(204, null);
  },

  'git/create-tag'({ repo, body }) {
    return reply(201, repo.createTag(body));
  },

  'git/get-tag'({ repo, params }) {
    return reply(200, orThrow(repo.tags.get(params.tag_sha)));
  },

  'repos/get-collaborator-permission-level'({ repo, params }) {
    return reply(200, orThrow(repo.permissionJson(params.username)));
  },

  'issues/create-comment'({ repo, params, body }) {
    return reply(201, repo.createComment(params.issue_number, body));
  },

  'reactions/create-for-issue-comment'({ repo, params, body }) {
    const { created, reaction } = repo.react(params.comment_id, body);
    return reply(created ? 201 : 200, reaction);
  },

  // GitHub lists the pull requests whose branch has the commit, and for a commit already on the
  // default branch the one that merged it; the fake knows only heads, so those whose head it is.
  'repos/list-pull-requests-associated-with-commit'({ repo, params, query, requestUrl }) {
    const pulls = [...repo.pulls].map(([number, fields]) => pullJson(repo, number, fields));
    const { items, headers } = paginate(pulls.filter((pull) => pull.head.sha === params.commit_sha), query, requestUrl);
    return reply(200, items, headers);
  },

  // Every pull request here is created at once: newest first is by number.
  'pulls/list'({ repo, query, requestUrl }) {
    const state = query.state ?? 'open';
    const pulls = [...repo.pulls].map(([number, fields]) => pullJson(repo, number, fields)).filter((pull) => state === 'all' || pull.state === state);
    pulls.sort((a, b) => (query.direction === 'asc' ? a.number - b.number : b.number - a.number));
    const { items, headers } = paginate(pulls, query, requestUrl);
    return reply(200, items, headers);
  },

  'pulls/get'({ repo, params }) {
    const number = Number(params.pull_number);
    return reply(200, pullJson(repo, number, orThrow(repo.pulls.get(number))));
  },

  'actions/create-workflow-dispatch'({ repo, params, body }) {
    const details = repo.dispatch(params.workflow_id, body);
    return details ? reply(200, details) : reply(204, null);
  },
};

export const routedOperations = Object.keys(ROUTES);

async function readText(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

class FakeGitHub {
  url = null;
  // { method, path, query, headers, body, operationId, errors, status, injected? }
  requests = [];
  /**
   * Body fields the API does not know: refused (the default, stricter than GitHub on purpose, so a
   * misspelt field fails a test), or ignored as GitHub ignores them (the benchmark's peer actions
   * send a few).
   */
  unknownBodyFields = 'refuse';

  #token;
  #server;
  #world;
  #repos = new Map();
  #faults = [];
  #closing = new AbortController();

  static async start(token, firstId) {
    const fake = new FakeGitHub(token);
    await new Promise((resolve, reject) => {
      fake.#server.once('error', reject);
      fake.#server.listen(0, '127.0.0.1', resolve);
    });
    fake.url = `http://127.0.0.1:${fake.#server.address().port}`;
    // Ids are global on GitHub, so they are counted across repositories.
    const counters = new Map();
    const users = new Map();
    const nextId = (kind) => {
      counters.set(kind, (counters.get(kind) ?? firstId - 1) + 1);
      return counters.get(kind);
    };
    fake.#world = {
      url: fake.url,
      nextId,
      userId: (login) => {
        if (!users.has(login)) users.set(login, nextId('user'));
        return users.get(login);
      },
    };
    return fake;
  }

  constructor(token) {
    this.#token = token;
    this.#server = createServer((req, res) => {
      // A failure here means the client went away mid-request.
      this.#handle(req, res).catch(() => req.socket.destroy());
    });
  }

  // The repository's state, created on first use. Names are
  // case-insensitive, as on GitHub.
  repo(fullName, options) {
    const key = fullName.toLowerCase();
    if (!this.#repos.has(key)) this.#repos.set(key, new FakeRepo(this.#world, fullName, options));
    return this.#repos.get(key);
  }

  writes() {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  // Requests GitHub's description does not allow, or routes it lacks.
  invalid() {
    return this.requests.filter((r) => r.operationId === null || r.errors.length > 0);
  }

  // The next `times` requests matching method (any if omitted) and path
  // (exact pathname or RegExp; any if omitted) fail:
  // - no mode: answer { status, headers, body } instead (body defaults to
  //   GitHub's error JSON);
  // - 'after-write': do the real work, then drop the connection unanswered;
  // - 'delay': wait delayMs, then answer normally;
  // - 'reset': drop the connection without doing anything;
  // - 'trickle': answer 200 and then one byte every delayMs (default 100), never ending.
  fail({ method, path, status, headers = {}, body, times = 1, mode, delayMs = 0 }) {
    if (mode !== undefined && !FAULT_MODES.has(mode)) throw new Error(`unknown fault mode ${mode}`);
    if (mode === undefined && !status) throw new Error('fail() needs a status or a mode');
    this.#faults.push({ method: method?.toUpperCase(), path, status, headers, body, times, mode, delayMs });
  }

  async close() {
    this.#closing.abort();
    const closed = new Promise((resolve) => this.#server.close(resolve));
    // Clients keep connections alive; without this close() would wait for them.
    this.#server.closeAllConnections();
    await closed;
  }

  #takeFault(method, path) {
    const fault = this.#faults.find(
      (f) =>
        (!f.method || f.method === method) &&
        (f.path === undefined || (f.path instanceof RegExp ? f.path.test(path) : f.path === path)),
    );
    if (fault && --fault.times === 0) this.#faults.splice(this.#faults.indexOf(fault), 1);
    return fault;
  }

  #authorized(header = '') {
    const [, token] = /^(?:token|bearer) (.+)$/i.exec(header) ?? [];
    return token === this.#token;
  }

  async #handle(req, res) {
    const requestUrl = new URL(req.url, this.url);
    const text = await readText(req);
    const match = matchOperation(req.method, requestUrl.pathname);
    const record = {
      method: req.method,
      path: requestUrl.pathname,
      query: Object.fromEntries(requestUrl.searchParams),
      headers: { ...req.headers },
      body: null,
      operationId: match?.operationId ?? null,
      errors: [],
      status: null,
    };
    this.requests.push(record);

    // What GitHub answers for a body it refuses, if this one is.
    let refusal = null;
    try {
      record.body = text === '' ? null : JSON.parse(text);
    } catch {
      record.errors.push('body is not valid JSON');
      refusal = reply(400, errorBody(400, 'Problems parsing JSON'));
    }
    if (match) {
      record.errors.push(...validateQuery(match.operation, record.query));
      const ignored = (error) => this.unknownBodyFields === 'ignore' && error.includes('must NOT have additional properties');
      const bodyErrors = refusal ? [] : validateBody(match.operation, record.body).filter((error) => !ignored(error));
      if (bodyErrors.length > 0) {
        record.errors.push(...bodyErrors);
        refusal = reply(422, errorBody(422, `Invalid request.\n\n${bodyErrors.join('\n')}`));
      }
    }

    const fault = this.#takeFault(req.method, record.path);
    if (fault) record.injected = true;
    if (fault?.mode === 'reset') return req.socket.destroy();
    if (fault?.mode === 'trickle') return trickle(res, fault.delayMs || 100, this.#closing.signal);
    if (fault?.mode === 'delay') {
      try {
        await sleep(fault.delayMs, undefined, { signal: this.#closing.signal });
      } catch {
        return; // closing: the connection is gone anyway
      }
    }
    if (fault && !fault.mode) {
      const body = fault.body ?? errorBody(fault.status, STATUS_CODES[fault.status]);
      return this.#send(res, record, reply(fault.status, body, fault.headers));
    }

    const answer = this.#answer(record, match, refusal, requestUrl);
    // The work is done; the client never learns how it went.
    if (fault?.mode === 'after-write') return req.socket.destroy();
    this.#send(res, record, answer);
  }

  #answer(record, match, refusal, requestUrl) {
    if (!this.#authorized(record.headers.authorization)) return reply(401, errorBody(401, 'Bad credentials'));
    if (!match) return reply(404, errorBody(404, 'Not Found'));
    if (refusal) return refusal;
    const repo = this.#repos.get(`${match.params.owner}/${match.params.repo}`.toLowerCase());
    if (!repo) return reply(404, errorBody(404, 'Not Found'));
    try {
      return ROUTES[match.operationId]({
        repo,
        params: match.params,
        query: record.query,
        body: record.body ?? {},
        headers: record.headers,
        requestUrl,
      });
    } catch (error) {
      if (error instanceof ApiError) return reply(error.status, errorBody(error.status, error.message, error.extra));
      // A bug in the fake: fail the request loudly and flag it as invalid.
      record.errors.push(`fake GitHub crashed: ${error.stack}`);
      return reply(500, errorBody(500, 'Server Error'));
    }
  }

  #send(res, record, { status, body, headers }) {
    record.status = status;
    if (body === null) {
      res.writeHead(status, headers);
      res.end();
      return;
    }
    const isText = typeof body === 'string';
    res.writeHead(status, {
      'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
      ...headers,
    });
    res.end(isText ? body : JSON.stringify(body));
  }
}

/** `firstId`: where ids start (GitHub's real ones have ten digits or more; the tests' start at 1). */
/** A 200 whose body never ends: a space every `ms`, until the client goes away or the fake closes. */
async function trickle(res, ms, signal) {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  try {
    while (!res.destroyed) {
      res.write(' ');
      await sleep(ms, undefined, { signal });
    }
  } catch {
    // closing
  }
}

export function startFakeGitHub({ token = 'test-token', firstId = 1 } = {}) {
  return FakeGitHub.start(token, firstId);
}
