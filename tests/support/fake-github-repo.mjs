// State and rules of one repository in the fake GitHub (fake-github.mjs):
// what tests seed, what the routes change, and GitHub's rules for it
// (required contexts, auto-inactive deployments, fast-forward refs, ...).

import {
  ACTIONS_BOT,
  commitJson,
  gitSha,
  HTML,
  nodeId,
  repositoryJson,
  timestamp,
  UNSIGNED,
  userJson,
} from './fake-github-objects.mjs';

// An error GitHub would answer with; fake-github.mjs turns it into JSON.
export class ApiError extends Error {
  constructor(status, message, extra = {}) {
    super(message);
    this.status = status;
    this.extra = extra;
  }
}

export const notFound = () => new ApiError(404, 'Not Found');

const SHA = /^[0-9a-f]{40}$/i;

const DEFAULT_AUTHOR = { name: 'Monalisa Octocat', email: 'octocat@github.com' };

// Role name -> the legacy `permission` GitHub reports next to it.
const LEGACY_PERMISSION = { admin: 'admin', maintain: 'write', write: 'write', triage: 'read', read: 'read', none: 'none' };
const ROLES = ['none', 'read', 'triage', 'write', 'maintain', 'admin'];

// Check-run conclusions GitHub counts as passing for required contexts.
const PASSING_CONCLUSIONS = new Set(['success', 'neutral', 'skipped']);

export class FakeRepo {
  // Answers to tests' "what happened" questions; mutate them only through
  // the methods below so that every object keeps GitHub's shape.
  deployments = [];
  deploymentStatuses = new Map(); // deployment id -> statuses, oldest first
  statuses = new Map(); // commit sha -> commit statuses, oldest first
  checkRuns = new Map(); // commit sha -> check runs, oldest first
  refs = new Map(); // 'heads/main' or 'tags/v1.0.0' -> sha
  commits = new Map(); // sha -> { message, author, parents, files }
  tags = new Map(); // tag object sha -> annotated tag
  permissions = new Map(); // login -> role name
  pulls = new Map(); // number -> fields given to setPull
  comments = [];
  reactions = new Map(); // comment id -> reactions
  dispatches = [];
  // While true, deployments with auto_merge on answer 202 and create
  // nothing, as GitHub does when the ref is behind the default branch.
  mergeRequired = false;

  #world;
  #files = new Map(); // branch -> path -> text

  // `world` is shared by the repositories of one fake: { url, nextId(kind), userId(login) }.
  constructor(world, fullName, { defaultBranch = 'main' } = {}) {
    this.#world = world;
    [this.owner, this.name] = fullName.split('/');
    this.fullName = fullName;
    this.id = world.nextId('repository');
    this.defaultBranch = defaultBranch;
    this.url = `${world.url}/repos/${fullName}`;
    // A repository always has its default branch; tests may move it.
    this.refs.set(`heads/${defaultBranch}`, gitSha('commit', `${fullName} ${defaultBranch}`));
  }

  get #bot() {
    return userJson(this.#world.url, ACTIONS_BOT);
  }

  user(login) {
    return userJson(this.#world.url, { login, id: this.#world.userId(login) });
  }

  // ---- seeding; the routes share the add* methods ---------------------

  setFile(branch, path, text) {
    if (!this.#files.has(branch)) this.#files.set(branch, new Map());
    this.#files.get(branch).set(path, text);
  }

  // name as GitHub's git/ref routes take it: 'heads/main', 'tags/v1.0.0'.
  setRef(name, sha) {
    if (name.startsWith('refs/')) throw new Error(`setRef takes ${name.slice(5)}, without refs/`);
    this.refs.set(name, sha);
  }

  // An annotated tag `name` (without tags/) on a commit: the tag object,
  // and refs/tags/<name> pointing at it, as `git tag -a` and a push make.
  setAnnotatedTag(name, commitSha, { message = `Release ${name}`, tagger } = {}) {
    const tag = this.createTag({ tag: name, message, object: commitSha, type: 'commit', tagger });
    this.setRef(`tags/${name}`, tag.sha);
    return tag;
  }

  // parents lets PATCH git/refs tell a fast-forward from a rewrite, and the compare route tell
  // ahead from diverged; files (paths, or { filename, status, previous_filename }) are what the
  // commit changed, which the compare route lists.
  setCommit(sha, { message = 'Update', author = {}, parents = [], files = [] } = {}) {
    const person = { ...DEFAULT_AUTHOR, date: timestamp(), ...author };
    this.commits.set(sha, { message, author: person, parents, files });
  }

  // role: admin, maintain, write, triage, read or none.
  setPermission(login, role) {
    if (!(role in LEGACY_PERMISSION)) throw new Error(`unknown role ${role}`);
    this.permissions.set(login, role);
  }

  // fields override the generated pull request (see pullJson: head, base,
  // their repo and user are merged; head.repo may be another FakeRepo).
  setPull(number, fields = {}) {
    this.pulls.set(Number(number), fields);
  }

  addCommitStatus(sha, { state, context = 'default', description = null, target_url = null }) {
    const id = this.#world.nextId('status');
    const now = timestamp();
    const status = {
      url: `${this.url}/statuses/${sha}`,
      avatar_url: this.#bot.avatar_url,
      id,
      node_id: nodeId('StatusContext', id),
      state,
      description,
      target_url,
      context,
      created_at: now,
      updated_at: now,
      creator: this.#bot,
    };
    this.#listIn(this.statuses, sha).push(status);
    return status;
  }

  addCheckRun(sha, { name, status = 'completed', conclusion = status === 'completed' ? 'success' : null }) {
    const id = this.#world.nextId('checkRun');
    const now = timestamp();
    const url = `${this.url}/check-runs/${id}`;
    const htmlUrl = `${HTML}/${this.fullName}/runs/${id}`;
    const run = {
      id,
      head_sha: sha,
      node_id: nodeId('CheckRun', id),
      external_id: '',
      url,
      html_url: htmlUrl,
      details_url: htmlUrl,
      status,
      conclusion,
      started_at: now,
      completed_at: status === 'completed' ? now : null,
      output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: `${url}/annotations` },
      name,
      check_suite: { id: this.#world.nextId('checkSuite') },
      app: null,
      pull_requests: [],
    };
    this.#listIn(this.checkRuns, sha).push(run);
    return run;
  }

  // Records a deployment as it is, skipping the checks POST makes.
  addDeployment({
    ref,
    sha = this.resolveCommit(ref),
    task = 'deploy',
    environment = 'production',
    payload = {},
    description = '',
    transient_environment = false,
    production_environment = environment === 'production',
  }) {
    if (!sha) throw new Error(`addDeployment: cannot resolve ${ref}; pass sha`);
    const id = this.#world.nextId('deployment');
    const now = timestamp();
    const url = `${this.url}/deployments/${id}`;
    const deployment = {
      url,
      id,
      node_id: nodeId('Deployment', id),
      sha,
      ref,
      task,
      payload,
      original_environment: environment,
      environment,
      description,
      creator: this.#bot,
      created_at: now,
      updated_at: now,
      statuses_url: `${url}/statuses`,
      repository_url: this.url,
      transient_environment,
      production_environment,
      performed_via_github_app: null,
    };
    this.deployments.push(deployment);
    this.deploymentStatuses.set(id, []);
    return deployment;
  }

  addDeploymentStatus(
    deploymentId,
    { state, description = '', environment, environment_url = '', log_url, target_url, auto_inactive },
  ) {
    const deployment = this.deployment(deploymentId);
    if (!deployment) throw notFound();
    // Like GitHub: an environment given here moves the deployment, and
    // original_environment keeps where it started.
    if (environment !== undefined) deployment.environment = environment;
    const status = this.#deploymentStatus(deployment, {
      state,
      description,
      environment_url,
      // log_url replaced target_url; GitHub fills one from the other.
      log_url: log_url ?? target_url ?? '',
    });
    if (state === 'success' && auto_inactive !== false) this.#deactivatePrior(deployment);
    return status;
  }

  // ---- reading --------------------------------------------------------

  // A branch, tag or full sha -> commit sha, or null. Annotated tags are
  // peeled to the object they point at.
  resolveCommit(ref) {
    if (SHA.test(ref)) return ref.toLowerCase();
    const sha = this.refs.get(`heads/${ref}`) ?? this.refs.get(`tags/${ref}`);
    if (!sha) return null;
    return this.tags.get(sha)?.object.sha ?? sha;
  }

  readFile(ref, path) {
    const byBranch = this.#files.get(ref);
    if (byBranch) return byBranch.get(path);
    // A sha or tag reads the files of the branch whose head it is.
    const sha = this.resolveCommit(ref);
    for (const [branch, files] of this.#files) {
      if (sha && this.refs.get(`heads/${branch}`) === sha) return files.get(path);
    }
    return undefined;
  }

  deployment(id) {
    return this.deployments.find((d) => d.id === Number(id));
  }

  // ---- GitHub-shaped answers -----------------------------------------

  // The seeded commit behind a sha, or null when GitHub would not know it.
  commitInfo(sha) {
    const seeded = this.commits.get(sha);
    if (seeded) return seeded;
    const tagged = [...this.tags.values()].some((tag) => tag.object.sha === sha);
    if (!tagged && ![...this.refs.values()].includes(sha)) return null;
    return { message: 'Update', author: { ...DEFAULT_AUTHOR, date: timestamp() }, parents: [] };
  }

  branchJson(name) {
    const sha = this.refs.get(`heads/${name}`);
    if (!sha) return null;
    const url = `${this.url}/branches/${encodeURIComponent(name)}`;
    return {
      name,
      commit: commitJson(this, sha, this.commitInfo(sha)),
      _links: { self: url, html: `${HTML}/${this.fullName}/tree/${name}` },
      protected: false,
      protection: { enabled: false, required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] } },
      protection_url: `${url}/protection`,
    };
  }

  // Latest status per context, combined the way GitHub documents it.
  combinedStatus(sha) {
    const latest = new Map();
    for (const status of this.statuses.get(sha) ?? []) latest.set(status.context, status);
    const statuses = [...latest.values()];
    const states = statuses.map((s) => s.state);
    let state = 'success';
    if (states.includes('failure') || states.includes('error')) state = 'failure';
    else if (states.length === 0 || states.includes('pending')) state = 'pending';
    return {
      state,
      statuses,
      sha,
      total_count: statuses.length,
      repository: repositoryJson(this),
      commit_url: `${this.url}/commits/${sha}`,
      url: `${this.url}/commits/${sha}/status`,
    };
  }

  refJson(name) {
    const sha = this.refs.get(name);
    if (!sha) return null;
    const type = this.tags.has(sha) ? 'tag' : 'commit';
    return {
      ref: `refs/${name}`,
      node_id: nodeId('Ref', `${this.id}:refs/${name}`),
      url: `${this.url}/git/refs/${name}`,
      object: { sha, type, url: `${this.url}/git/${type}s/${sha}` },
    };
  }

  // GET git/matching-refs/<prefix>: every ref whose full name starts with
  // refs/<prefix> (`heads/feature` also finds heads/feature-x), by name.
  matchingRefsJson(prefix) {
    return [...this.refs.keys()]
      .filter((name) => `refs/${name}`.startsWith(`refs/${prefix}`))
      .sort()
      .map((name) => this.refJson(name));
  }

  permissionJson(login) {
    const role = this.permissions.get(login);
    if (!role) return null;
    const atLeast = (minimum) => ROLES.indexOf(role) >= ROLES.indexOf(minimum);
    const permissions = {
      pull: atLeast('read'),
      triage: atLeast('triage'),
      push: atLeast('write'),
      maintain: atLeast('maintain'),
      admin: atLeast('admin'),
    };
    return {
      permission: LEGACY_PERMISSION[role],
      role_name: role,
      user: { ...this.user(login), permissions, role_name: role },
    };
  }

  // ---- writes behind the POST/PATCH/DELETE routes --------------------

  // POST /deployments. Returns null when GitHub would merge the default
  // branch into the ref instead of deploying (see mergeRequired).
  createDeployment(body) {
    const sha = this.resolveCommit(body.ref);
    if (!sha) throw new ApiError(422, `No ref found for: ${body.ref}`);
    if (body.auto_merge !== false && this.mergeRequired) return null;
    const failing = this.#failingContexts(sha, body.required_contexts);
    if (failing.length > 0) {
      throw new ApiError(409, `Conflict: Commit status checks failed for ${body.ref}.`, {
        errors: [{ contexts: failing, resource: 'Deployment', field: 'required_contexts', code: 'invalid' }],
      });
    }
    return this.addDeployment({ ...body, sha });
  }

  // Commit statuses (latest per context) and check runs (latest per name)
  // that block a deployment; by default every context on the commit counts.
  #failingContexts(sha, required) {
    const states = new Map();
    for (const status of this.statuses.get(sha) ?? []) states.set(status.context, status.state);
    for (const run of this.checkRuns.get(sha) ?? []) {
      let state = 'pending';
      if (run.status === 'completed') state = PASSING_CONCLUSIONS.has(run.conclusion) ? 'success' : 'failure';
      states.set(run.name, state);
    }
    return (required ?? [...states.keys()])
      .filter((context) => states.get(context) !== 'success')
      // A required context nothing has reported yet blocks too.
      .map((context) => ({ context, state: states.get(context) ?? 'missing' }));
  }

  #deploymentStatus(deployment, { state, description, environment_url, log_url }) {
    const id = this.#world.nextId('deploymentStatus');
    const now = timestamp();
    const status = {
      url: `${deployment.url}/statuses/${id}`,
      id,
      node_id: nodeId('DeploymentStatus', id),
      state,
      creator: this.#bot,
      description,
      environment: deployment.environment,
      target_url: log_url,
      created_at: now,
      updated_at: now,
      deployment_url: deployment.url,
      repository_url: this.url,
      environment_url,
      log_url,
      performed_via_github_app: null,
    };
    this.deploymentStatuses.get(deployment.id).push(status);
    deployment.updated_at = now;
    return status;
  }

  // GitHub documents that a new success status adds an `inactive` status to
  // earlier deployments of the same environment whose latest state is
  // success, so only one deployment per environment stays active.
  #deactivatePrior(current) {
    for (const deployment of this.deployments) {
      if (deployment.id >= current.id || deployment.environment !== current.environment) continue;
      const latest = this.deploymentStatuses.get(deployment.id).at(-1);
      if (latest?.state !== 'success') continue;
      const { environment_url, log_url } = latest;
      this.#deploymentStatus(deployment, { state: 'inactive', description: '', environment_url, log_url });
    }
  }

  createRef({ ref, sha }) {
    if (!/^refs\/[^/]+\/./.test(ref)) {
      throw new ApiError(422, 'Reference name must start with refs/ and have at least two slashes');
    }
    const name = ref.slice('refs/'.length);
    // Check and set with no await in between: concurrent creates of one
    // ref (the action's locks) see exactly one winner, as on GitHub.
    if (this.refs.has(name)) throw new ApiError(422, 'Reference already exists');
    this.refs.set(name, sha);
    return this.refJson(name);
  }

  updateRef(name, { sha, force = false }) {
    const current = this.refs.get(name);
    if (!current) throw new ApiError(422, 'Reference does not exist');
    if (!force && !this.#descendsFrom(sha, current)) throw new ApiError(422, 'Update is not a fast forward');
    this.refs.set(name, sha);
    return this.refJson(name);
  }

  deleteRef(name) {
    if (!this.refs.delete(name)) throw new ApiError(422, 'Reference does not exist');
  }

  // GET compare/{base}...{head}: the commits of head that base lacks, oldest first, and the files
  // they changed (each commit's own, in order; at most 300, as GitHub lists). GitHub diffs the
  // merge base with head, so a change undone later is not listed there; the fake lists it.
  // Returns { status, ahead, behind, mergeBase, files } or throws GitHub's 404.
  compare(base, head) {
    const [baseSha, headSha] = [this.resolveCommit(base), this.resolveCommit(head)];
    if (!baseSha || !headSha || !this.commitInfo(baseSha) || !this.commitInfo(headSha)) throw notFound();
    const headAncestors = this.#ancestors(headSha);
    const baseAncestors = this.#ancestors(baseSha);
    const mergeBase = headAncestors.find((sha) => baseAncestors.includes(sha));
    if (!mergeBase) throw new ApiError(404, `No common ancestor between ${base} and ${head}.`);
    const ahead = headAncestors.filter((sha) => !baseAncestors.includes(sha)).reverse();
    const behind = baseAncestors.filter((sha) => !headAncestors.includes(sha));
    const status = ahead.length === 0 ? (behind.length === 0 ? 'identical' : 'behind') : behind.length === 0 ? 'ahead' : 'diverged';
    const files = ahead.flatMap((sha) => this.commits.get(sha)?.files ?? []).map((f) => (typeof f === 'string' ? { filename: f, status: 'modified' } : f));
    return { status, ahead, behind, mergeBase, baseSha, files: files.slice(0, 300) };
  }

  // sha and every commit reachable through recorded parents, nearest first.
  #ancestors(sha) {
    const order = [];
    const queue = [sha];
    while (queue.length > 0) {
      const next = queue.shift();
      if (order.includes(next)) continue;
      order.push(next);
      queue.push(...(this.commits.get(next)?.parents ?? []));
    }
    return order;
  }

  // Walks parents recorded with setCommit.
  #descendsFrom(sha, ancestor) {
    const queue = [sha];
    const seen = new Set();
    while (queue.length > 0) {
      const next = queue.shift();
      if (next === ancestor) return true;
      if (seen.has(next)) continue;
      seen.add(next);
      queue.push(...(this.commits.get(next)?.parents ?? []));
    }
    return false;
  }

  createTag({ tag, message, object, type, tagger = {} }) {
    const who = {
      name: ACTIONS_BOT.login,
      email: `${ACTIONS_BOT.id}+${ACTIONS_BOT.login}@users.noreply.github.com`,
      date: timestamp(),
      ...tagger,
    };
    const taggerLine = `${who.name} <${who.email}> ${who.date}`;
    const sha = gitSha('tag', `object ${object}\ntype ${type}\ntag ${tag}\ntagger ${taggerLine}\n\n${message}`);
    const annotated = {
      node_id: nodeId('Tag', sha),
      tag,
      sha,
      url: `${this.url}/git/tags/${sha}`,
      message,
      tagger: { date: who.date, email: who.email, name: who.name },
      object: { sha: object, type, url: `${this.url}/git/${type}s/${object}` },
      verification: UNSIGNED,
    };
    this.tags.set(sha, annotated);
    return annotated;
  }

  createComment(issueNumber, { body }) {
    const id = this.#world.nextId('comment');
    const now = timestamp();
    const comment = {
      id,
      node_id: nodeId('IssueComment', id),
      url: `${this.url}/issues/comments/${id}`,
      html_url: `${HTML}/${this.fullName}/issues/${issueNumber}#issuecomment-${id}`,
      body,
      user: this.#bot,
      created_at: now,
      updated_at: now,
      issue_url: `${this.url}/issues/${issueNumber}`,
      author_association: 'NONE',
      performed_via_github_app: null,
    };
    this.comments.push(comment);
    return comment;
  }

  // GitHub keeps one reaction per user and content: a repeat answers 200
  // with the existing one instead of 201.
  react(commentId, { content }) {
    const list = this.#listIn(this.reactions, Number(commentId));
    const existing = list.find((r) => r.content === content);
    if (existing) return { created: false, reaction: existing };
    const id = this.#world.nextId('reaction');
    const reaction = { id, node_id: nodeId('Reaction', id), user: this.#bot, content, created_at: timestamp() };
    list.push(reaction);
    return { created: true, reaction };
  }

  dispatch(workflowId, { ref, inputs = {}, return_run_details = false }) {
    if (!this.resolveCommit(ref)) throw new ApiError(422, `No ref found for: ${ref}`);
    const runId = this.#world.nextId('run');
    this.dispatches.push({ workflow_id: workflowId, ref, inputs, run_id: runId });
    if (!return_run_details) return null;
    return {
      workflow_run_id: runId,
      run_url: `${this.url}/actions/runs/${runId}`,
      html_url: `${HTML}/${this.fullName}/actions/runs/${runId}`,
    };
  }

  #listIn(map, key) {
    if (!map.has(key)) map.set(key, []);
    return map.get(key);
  }
}
