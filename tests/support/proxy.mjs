// A forward proxy on 127.0.0.1 that records what passes through it: requests asked in full
// (`GET http://host/path`) and CONNECT tunnels. `hosts` maps a name the test made up (`github.test`)
// to where it really is, so that a request can reach the fake API only through the proxy.

import { createServer, request } from 'node:http';
import { connect } from 'node:net';

/**
 * Starts the proxy. `passed`: `{ method, target, auth }` for each request or tunnel, in order
 * (`target`: the absolute URL, or `host:port` for CONNECT; `auth`: the Proxy-Authorization header).
 */
export async function startProxy({ hosts = {} } = {}) {
  const passed = [];
  const tunnels = new Set();
  const where = (host, port) => {
    const mapped = hosts[`${host}:${port}`] ?? hosts[host];
    return mapped ? { host: mapped.split(':')[0], port: Number(mapped.split(':')[1] ?? port) } : { host, port: Number(port) };
  };
  const server = createServer((req, res) => {
    passed.push({ method: req.method, target: req.url, auth: req.headers['proxy-authorization'] });
    const target = new URL(req.url);
    const { host, port } = where(target.hostname, target.port || 80);
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const upstream = request({ host, port, method: req.method, path: target.pathname + target.search, headers }, (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, client, head) => {
    passed.push({ method: 'CONNECT', target: req.url, auth: req.headers['proxy-authorization'] });
    tunnels.add(client);
    client.on('close', () => tunnels.delete(client));
    const [name, port] = req.url.split(/:(?=\d+$)/);
    const upstream = connect(where(name, port), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    passed,
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => {
      server.closeAllConnections();
      for (const client of tunnels) client.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
