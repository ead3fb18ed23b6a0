// Proxies, from the environment, as the Actions toolkit (@actions/http-client) reads them: a
// self-hosted runner behind a proxy sets HTTPS_PROXY, HTTP_PROXY and NO_PROXY once for every action.
// Read here on Node 20 and 24 alike, whatever NODE_USE_ENV_PROXY says: Node's own support (24 only)
// reads NO_PROXY differently, and one behaviour is easier to trust than two.
//
// Written out rather than taken from npm: https-proxy-agent and http-proxy-agent bring agent-base
// and debug into every step's bundle yet leave NO_PROXY to the caller, and @actions/http-client
// brings undici and tunnel with it. A tunnel is one CONNECT request over node:http.

import { transport } from './builtins.mjs';

/**
 * The proxy that requests to `url` (a URL) go through, as a URL; undefined to go direct. An https
 * URL uses `https_proxy` or `HTTPS_PROXY`, an http one `http_proxy` or `HTTP_PROXY` (lower case
 * first); a value without a scheme is `http://`. NO_PROXY, and the loopback, go direct.
 */
export function proxyFor(url, env = process.env) {
  if (bypassed(url, env)) return undefined;
  const name = url.protocol === 'https:' ? 'https_proxy' : 'http_proxy';
  const value = (env[name] || env[name.toUpperCase()] || '').trim();
  if (!value) return undefined;
  const text = value.includes('://') ? value : `http://${value}`;
  const proxy = URL.canParse(text) ? new URL(text) : undefined;
  if (proxy?.protocol !== 'http:' && proxy?.protocol !== 'https:') {
    throw new Error(`${env[name] ? name : name.toUpperCase()} is not an http:// or https:// proxy URL: ${JSON.stringify(value)}`);
  }
  return proxy;
}

/**
 * Whether requests to `url` skip the proxy: the loopback (`localhost`, 127.x.x.x, `[::1]`), or an
 * entry of `no_proxy`/`NO_PROXY` (comma-separated, any case): `*`; a host, which also covers its
 * subdomains (`example.com`: `api.example.com` too); a suffix (`.example.com`); a host with a port
 * (`example.com:8443`), the URL's port being its scheme's default when it has none.
 */
export function bypassed(url, env = process.env) {
  const host = url.hostname.toUpperCase();
  if (!host) return false;
  if (host === 'LOCALHOST' || host.startsWith('127.') || host === '[::1]' || host === '[0:0:0:0:0:0:0:1]') return true;
  const port = url.port || { 'http:': '80', 'https:': '443' }[url.protocol];
  const names = port ? [host, `${host}:${port}`] : [host];
  const entries = (env.no_proxy || env.NO_PROXY || '').split(',').map((entry) => entry.trim().toUpperCase()).filter(Boolean);
  return entries.some(
    (entry) => entry === '*' || names.some((name) => name === entry || name.endsWith(entry.startsWith('.') ? entry : `.${entry}`)),
  );
}

/**
 * `request(url, options, onResponse)` for requests to `origin`'s host through `proxy`: an http URL
 * is asked of the proxy in full (`GET http://host/path`), an https one goes through a CONNECT
 * tunnel, then TLS with the host as the far end. Connections to the proxy are kept alive.
 */
export function throughProxy(origin, proxy) {
  const auth = proxy.username || proxy.password
    ? { 'proxy-authorization': `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}` }
    : {};
  const toProxy = transport(proxy.protocol);
  const proxyHost = unbracketed(proxy.hostname);
  const proxyPort = Number(proxy.port) || (proxy.protocol === 'https:' ? 443 : 80);

  if (origin.protocol === 'http:') {
    const agent = new toProxy.Agent({ keepAlive: true });
    return (url, options, onResponse) =>
      toProxy.request(
        { host: proxyHost, port: proxyPort, path: url.href, method: options.method, headers: { ...options.headers, host: url.host, ...auth }, agent },
        onResponse,
      );
  }

  const https = transport('https:');
  const tls = process.getBuiltinModule('node:tls');
  const agent = new https.Agent({ keepAlive: true });
  // Node's agents accept a connection made asynchronously, handed to `callback`.
  agent.createConnection = (options, callback) => {
    const target = `${options.host.includes(':') ? `[${options.host}]` : options.host}:${options.port}`;
    const connect = toProxy.request({ host: proxyHost, port: proxyPort, method: 'CONNECT', path: target, headers: { host: target, ...auth }, agent: false });
    // What keeps the process alive while the tunnel opens is the request's own time limit: a proxy
    // that never answers holds nothing once that try is given up.
    connect.once('socket', (socket) => socket.unref());
    connect.once('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        callback(new Error(`the proxy ${proxy.host} answered ${res.statusCode} to CONNECT ${target}`));
        return;
      }
      socket.ref();
      const { port, path, ...tlsOptions } = options;
      callback(null, tls.connect({ ...tlsOptions, socket }));
    });
    connect.once('error', (err) => callback(err));
    connect.end();
  };
  return (url, options, onResponse) => https.request(url, { ...options, agent }, onResponse);
}

function unbracketed(host) {
  return host.startsWith('[') ? host.slice(1, -1) : host;
}
