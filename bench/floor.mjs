// The floor of the cold-start benchmark: a plain Node script that makes the same HTTP requests as
// the action on a push with one matching target (read the config, look for an existing deployment,
// read the environment locks, create it) with node:http, and does no other work. Nothing can be
// faster than this and still talk to GitHub.
//
// node:http is loaded the cheapest way there is. `import http from 'node:http'` costs about 20 ms
// more on Node 24 (an ES import enumerates the module's exports, and the lazy `WebSocket` getter
// among them loads undici); the benchmark times that variant too (floor-import.mjs), to show it.

const http = process.getBuiltinModule('node:http');

const api = process.env.GITHUB_API_URL;
const repo = process.env.GITHUB_REPOSITORY;
// Byte for byte the requests the action makes on this push (the benchmark checks it), so the fake
// GitHub does the same work for both.
const headers = {
  accept: 'application/vnd.github+json',
  authorization: `Bearer ${process.env.INPUT_TOKEN}`,
  'user-agent': 'deliverybot-action',
  'x-github-api-version': '2022-11-28',
};

function request(method, path, { accept, body } = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const sent = { ...headers, ...(accept ? { accept } : {}) };
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

const sha = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
await request('GET', `/repos/${repo}/contents/.github/deploy.yml?ref=master`, { accept: 'application/vnd.github.raw+json' });
await request('GET', `/repos/${repo}/deployments?sha=${sha}&environment=staging&task=deploy&per_page=1`);
await request('GET', `/repos/${repo}/git/matching-refs/deliverybot/locks/`);
await request('POST', `/repos/${repo}/deployments`, {
  body: {
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
  },
});
