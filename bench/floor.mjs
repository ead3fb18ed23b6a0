// The floor of the cold-start benchmark: a plain Node script that makes the same HTTP requests as
// the action on a push with one matching target (read the config, look for an existing deployment,
// read the environment locks, create it) with node:http, and does no other work. Nothing can be faster than this and still
// talk to GitHub.

import http from 'node:http';

const api = process.env.GITHUB_API_URL;
const repo = process.env.GITHUB_REPOSITORY;
const headers = {
  accept: 'application/vnd.github+json',
  authorization: `Bearer ${process.env.INPUT_TOKEN}`,
  'user-agent': 'floor',
};

function request(method, path, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(`${api}${path}`, { method, headers: data ? { ...headers, 'content-type': 'application/json' } : headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString()));
    });
    req.on('error', reject);
    req.end(data);
  });
}

const sha = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
await request('GET', `/repos/${repo}/contents/.github/deploy.yml?ref=master`);
await request('GET', `/repos/${repo}/deployments?sha=${sha}&environment=staging&per_page=1`);
await request('GET', `/repos/${repo}/git/matching-refs/deliverybot/locks/`);
await request('POST', `/repos/${repo}/deployments`, { ref: sha, environment: 'staging', auto_merge: false, required_contexts: [] });
