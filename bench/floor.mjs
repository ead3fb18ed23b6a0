// The floors of the cold-start benchmark: plain Node scripts that make the same HTTP requests as a
// tool on a push, with node:http, and do no other work. Nothing can be faster than this and still
// talk to GitHub. `node bench/floor.mjs [tool]`, tool one of:
//
//   deliverybot (the default)  read the config, read where the branch points, look for an existing
//                              deployment, read the environment locks, create it
//   bobheadxi                  bobheadxi/deployments `step: start`: create it, then its in_progress status
//   chrnorm                    chrnorm/deployment-action: create it, then its pending status
//
// Each sends byte for byte what its tool sends (the benchmark checks it), so the fake GitHub does the
// same work for both.
//
// node:http is loaded the cheapest way there is. `import http from 'node:http'` costs about 20 ms
// more on Node 24 (an ES import enumerates the module's exports, and the lazy `WebSocket` getter
// among them loads undici); the benchmark times that variant too (floor-import.mjs), to show it.

const http = process.getBuiltinModule('node:http');

const api = process.env.GITHUB_API_URL;
const repo = process.env.GITHUB_REPOSITORY;
const token = process.env.INPUT_TOKEN;
const sha = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';

/** What Octokit's user agent says of the runtime (universal-user-agent): `Node.js/24` where Node has `navigator`. */
const runtime = () => (typeof navigator === 'object' && 'userAgent' in navigator ? navigator.userAgent : `Node.js/${process.versions.node} (${process.platform}; ${process.arch})`);

/** Sends one request with `headers` (a JSON `body` adds its type and length); resolves to the answer's text. */
function request(method, path, headers, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const sent = { ...headers };
    if (data !== undefined) Object.assign(sent, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(data) });
    const req = http.request(`${api}${path}`, { method, headers: sent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString()));
    });
    req.on('error', reject);
    req.end(data);
  });
}

const tools = {
  async deliverybot() {
    const headers = {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${token}`,
      'user-agent': `deliverybot-action/${process.argv[3]}`, // the version, given by bench/run.mjs
      'x-github-api-version': '2022-11-28',
    };
    await request('GET', `/repos/${repo}/contents/.github/deploy.yml?ref=master`, { ...headers, accept: 'application/vnd.github.raw+json' });
    await request('GET', `/repos/${repo}/git/ref/heads/master`, headers);
    await request('GET', `/repos/${repo}/deployments?sha=${sha}&environment=staging&task=deploy&per_page=1`, headers);
    await request('GET', `/repos/${repo}/git/matching-refs/deliverybot/locks/`, headers);
    await request('POST', `/repos/${repo}/deployments`, headers, {
      auto_merge: false,
      description: 'Deploy master (6113728)',
      environment: 'staging',
      payload: {
        deliverybot: { event: 'push', ref: 'refs/heads/master', run_url: 'https://github.com/Codertocat/Hello-World/actions/runs/1' },
        target: 'staging',
      },
      ref: sha,
      required_contexts: [],
      task: 'deploy',
    });
  },

  // Octokit 3 over node-fetch, with the preview media types of its day.
  async bobheadxi() {
    const headers = {
      accept: 'application/vnd.github.ant-man-preview+json,application/vnd.github.flash-preview+json',
      'user-agent': `octokit-core.js/3.6.0 ${runtime()}`,
      authorization: `token ${token}`,
      'accept-encoding': 'gzip,deflate',
    };
    const created = await request('POST', `/repos/${repo}/deployments`, headers, {
      ref: sha,
      required_contexts: [],
      environment: 'production',
      auto_merge: false,
      transient_environment: true,
    });
    await request('POST', `/repos/${repo}/deployments/${JSON.parse(created).id}/statuses`, headers, {
      state: 'in_progress',
      log_url: `https://github.com/${repo}/commit/${sha}/checks`,
      ref: sha,
    });
  },

  // Octokit 5 over the runtime's fetch (undici), which adds its own headers.
  async chrnorm() {
    const headers = {
      accept: 'application/vnd.github.v3+json',
      'user-agent': `octokit-core.js/5.1.0 ${runtime()}`,
      authorization: `token ${token}`,
      'accept-language': '*',
      'sec-fetch-mode': 'cors',
      'accept-encoding': 'gzip, deflate',
    };
    const created = await request('POST', `/repos/${repo}/deployments`, headers, {
      ref: sha,
      sha,
      task: 'deploy',
      required_contexts: [],
      environment: 'production',
      transient_environment: false,
      auto_merge: false,
      description: '',
    });
    await request('POST', `/repos/${repo}/deployments/${JSON.parse(created).id}/statuses`, headers, {
      description: '',
      state: 'pending',
      log_url: `https://github.com/${repo}/commit/${sha}/checks`,
      environment_url: '',
      auto_inactive: false,
    });
  },
};

await tools[process.argv[2] ?? 'deliverybot']();
