// The larger objects the fake GitHub (fake-github.mjs) answers with, built
// with every field GitHub's OpenAPI description marks as required so that a
// client tested against the fake has seen what the real API sends. API URLs
// point at the fake; html URLs at github.com, as nothing follows them.

import { createHash } from 'node:crypto';

export const HTML = 'https://github.com';

// What `GITHUB_TOKEN` acts as: GitHub credits it with every write.
export const ACTIONS_BOT = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

// GitHub's legacy node ids are base64 of "0<type length>:<type><id>".
export const nodeId = (type, id) => Buffer.from(`0${type.length}:${type}${id}`).toString('base64');

// Second precision, as GitHub prints timestamps.
export const timestamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

// Object ids the way git computes them, so equal content gets equal ids.
export const gitSha = (kind, content) =>
  createHash('sha1').update(`${kind} ${Buffer.byteLength(content)}\0${content}`).digest('hex');

export const UNSIGNED = { verified: false, reason: 'unsigned', payload: null, signature: null, verified_at: null };

export function userJson(api, { login, id, type = 'User' }) {
  const url = `${api}/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: nodeId(type, id),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url,
    html_url: type === 'Bot' ? `${HTML}/apps/${login.replace(/\[bot\]$/, '')}` : `${HTML}/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type,
    user_view_type: 'public',
    site_admin: false,
  };
}

// Satisfies both "Minimal Repository" (combined status) and the full
// "Repository" that pull requests embed.
export function repositoryJson(repo) {
  const { url, fullName } = repo;
  const created = '2011-01-26T19:01:12Z';
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: fullName,
    owner: repo.user(repo.owner),
    private: false,
    html_url: `${HTML}/${fullName}`,
    description: null,
    fork: false,
    url,
    archive_url: `${url}/{archive_format}{/ref}`,
    assignees_url: `${url}/assignees{/user}`,
    blobs_url: `${url}/git/blobs{/sha}`,
    branches_url: `${url}/branches{/branch}`,
    collaborators_url: `${url}/collaborators{/collaborator}`,
    comments_url: `${url}/comments{/number}`,
    commits_url: `${url}/commits{/sha}`,
    compare_url: `${url}/compare/{base}...{head}`,
    contents_url: `${url}/contents/{+path}`,
    contributors_url: `${url}/contributors`,
    deployments_url: `${url}/deployments`,
    downloads_url: `${url}/downloads`,
    events_url: `${url}/events`,
    forks_url: `${url}/forks`,
    git_commits_url: `${url}/git/commits{/sha}`,
    git_refs_url: `${url}/git/refs{/sha}`,
    git_tags_url: `${url}/git/tags{/sha}`,
    git_url: `git://github.com/${fullName}.git`,
    hooks_url: `${url}/hooks`,
    issue_comment_url: `${url}/issues/comments{/number}`,
    issue_events_url: `${url}/issues/events{/number}`,
    issues_url: `${url}/issues{/number}`,
    keys_url: `${url}/keys{/key_id}`,
    labels_url: `${url}/labels{/name}`,
    languages_url: `${url}/languages`,
    merges_url: `${url}/merges`,
    milestones_url: `${url}/milestones{/number}`,
    notifications_url: `${url}/notifications{?since,all,participating}`,
    pulls_url: `${url}/pulls{/number}`,
    releases_url: `${url}/releases{/id}`,
    ssh_url: `git@github.com:${fullName}.git`,
    stargazers_url: `${url}/stargazers`,
    statuses_url: `${url}/statuses/{sha}`,
    subscribers_url: `${url}/subscribers`,
    subscription_url: `${url}/subscription`,
    tags_url: `${url}/tags`,
    teams_url: `${url}/teams`,
    trees_url: `${url}/git/trees{/sha}`,
    clone_url: `${HTML}/${fullName}.git`,
    mirror_url: null,
    svn_url: `${HTML}/${fullName}`,
    homepage: null,
    language: null,
    license: null,
    size: 0,
    default_branch: repo.defaultBranch,
    forks: 0,
    forks_count: 0,
    open_issues: 0,
    open_issues_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    archived: false,
    disabled: false,
    pushed_at: created,
    created_at: created,
    updated_at: created,
  };
}

export function contentJson(repo, ref, path, text) {
  const sha = gitSha('blob', text);
  const url = `${repo.url}/contents/${path}?ref=${encodeURIComponent(ref)}`;
  const gitUrl = `${repo.url}/git/blobs/${sha}`;
  const htmlUrl = `${HTML}/${repo.fullName}/blob/${ref}/${path}`;
  const base64 = Buffer.from(text).toString('base64');
  return {
    type: 'file',
    encoding: 'base64',
    size: Buffer.byteLength(text),
    name: path.split('/').at(-1),
    path,
    // GitHub wraps the base64 at 60 columns; decoders must cope.
    content: base64 ? `${base64.match(/.{1,60}/g).join('\n')}\n` : '',
    sha,
    url,
    git_url: gitUrl,
    html_url: htmlUrl,
    download_url: `https://raw.githubusercontent.com/${repo.fullName}/${ref}/${path}`,
    _links: { self: url, git: gitUrl, html: htmlUrl },
  };
}

// info: { message, author: { name, email, date }, parents } from FakeRepo.
export function commitJson(repo, sha, { message, author, parents }) {
  const tree = gitSha('tree', sha);
  return {
    url: `${repo.url}/commits/${sha}`,
    sha,
    node_id: nodeId('Commit', sha),
    html_url: `${HTML}/${repo.fullName}/commit/${sha}`,
    comments_url: `${repo.url}/commits/${sha}/comments`,
    commit: {
      url: `${repo.url}/git/commits/${sha}`,
      author,
      committer: author,
      message,
      comment_count: 0,
      tree: { sha: tree, url: `${repo.url}/git/trees/${tree}` },
      verification: UNSIGNED,
    },
    // The GitHub accounts behind the git identities; the fake has none.
    author: null,
    committer: null,
    parents: parents.map((parent) => ({
      sha: parent,
      url: `${repo.url}/commits/${parent}`,
      html_url: `${HTML}/${repo.fullName}/commit/${parent}`,
    })),
    stats: { total: 0, additions: 0, deletions: 0 },
    files: [],
  };
}

// An open, mergeable pull request from `pull-<number>` into the default
// branch; `fields` (given to setPull) override it. user, head and base are
// merged field by field, and so is each side's repo: over this repository,
// or over another FakeRepo given as the repo (a fork). `repo: null` stays
// null, as GitHub sends it for a head whose fork was deleted. merged: true
// makes the default state closed.
export function pullJson(repo, number, fields) {
  const url = `${repo.url}/pulls/${number}`;
  const htmlUrl = `${HTML}/${repo.fullName}/pull/${number}`;
  const { user: givenUser, head: givenHead, base: givenBase, ...rest } = fields;
  const person = (source, given) => ({ ...source.user(given?.login ?? source.owner), ...given });
  const side = (ref, given = {}) => {
    const { repo: givenRepo, user, ...other } = given;
    const isFakeRepo = typeof givenRepo?.resolveCommit === 'function';
    const source = isFakeRepo ? givenRepo : repo;
    const branch = given.ref ?? ref;
    let json = null;
    if (isFakeRepo) json = repositoryJson(givenRepo);
    else if (givenRepo !== null) json = { ...repositoryJson(repo), ...givenRepo };
    return {
      label: `${source.owner}:${branch}`,
      ref: branch,
      // A branch the fake does not know still has a head on GitHub.
      sha: source.resolveCommit(branch) ?? gitSha('commit', `${source.fullName} ${branch}`),
      user: person(source, user),
      repo: json,
      ...other,
    };
  };
  const head = side(`pull-${number}`, givenHead);
  const base = side(repo.defaultBranch, givenBase);
  const now = timestamp();
  const merged = rest.merged ?? false;
  const state = rest.state ?? (merged ? 'closed' : 'open');
  const link = (href) => ({ href });
  return {
    url,
    id: number,
    node_id: nodeId('PullRequest', number),
    html_url: htmlUrl,
    diff_url: `${htmlUrl}.diff`,
    patch_url: `${htmlUrl}.patch`,
    issue_url: `${repo.url}/issues/${number}`,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${repo.url}/pulls/comments{/number}`,
    comments_url: `${repo.url}/issues/${number}/comments`,
    statuses_url: `${repo.url}/statuses/${head.sha}`,
    number,
    state,
    locked: false,
    title: `Pull request #${number}`,
    user: person(repo, givenUser),
    body: null,
    labels: [],
    milestone: null,
    active_lock_reason: null,
    created_at: now,
    updated_at: now,
    closed_at: state === 'closed' ? now : null,
    merged_at: merged ? now : null,
    merge_commit_sha: null,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    _links: {
      self: link(url),
      html: link(htmlUrl),
      issue: link(`${repo.url}/issues/${number}`),
      comments: link(`${repo.url}/issues/${number}/comments`),
      review_comments: link(`${url}/comments`),
      review_comment: link(`${repo.url}/pulls/comments{/number}`),
      commits: link(`${url}/commits`),
      statuses: link(`${repo.url}/statuses/${head.sha}`),
    },
    author_association: 'OWNER',
    auto_merge: null,
    draft: false,
    merged,
    mergeable: true,
    rebaseable: true,
    mergeable_state: 'clean',
    merged_by: null,
    comments: 0,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: 1,
    additions: 0,
    deletions: 0,
    changed_files: 0,
    ...rest,
    head,
    base,
  };
}
