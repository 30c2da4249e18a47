// A local front for the real Redmine, as a reverse proxy would be: it forwards every request to
// Redmine, adds the `Date` header Redmine's puma leaves out (nginx and Apache add one), serves
// sla-lens's www/ at /__sla-lens/ on the same origin (where an extension's content script would
// come from), logs the requests, and can make the REST API fail on demand (500, 429, a hang,
// a malformed body, an upstream that is down).
import { createServer, request as httpRequest } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const WWW = resolve(fileURLToPath(new URL('../../www/', import.meta.url)));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

/**
 * @param {{ upstream: string, www?: string, port?: number }} o  `port`: where to listen (default: any free one)
 * @returns {Promise<{ url: string, log: {method: string, path: string, status: number}[],
 *   fault: ((req: import('node:http').IncomingMessage) => any) | null, upstream: string,
 *   close: () => Promise<void> }>}
 */
export async function startProxy({ upstream, www = WWW, port: listenPort = 0 }) {
  const state = { log: [], fault: null, upstream, inFlight: 0, maxInFlight: 0 };
  const sockets = new Set();
  const server = createServer(async (req, res) => {
    const path = req.url ?? '/';
    // Concurrent REST calls, for the bound on sla-lens's concurrency.
    const api = path.includes('.json');
    if (api) {
      state.inFlight += 1;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    }
    let counted = api;
    const done = (status) => {
      if (counted) {
        counted = false;
        state.inFlight -= 1;
      }
      state.log.push({ method: req.method, path, status });
    };
    try {
      if (path.startsWith('/__sla-lens/')) {
        const rel = decodeURIComponent(new URL(path, 'http://x').pathname.slice('/__sla-lens/'.length));
        const file = normalize(join(www, rel));
        if (!file.startsWith(www)) throw Object.assign(new Error('outside'), { code: 'ENOENT' });
        const body = await readFile(file);
        res.writeHead(200, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
          date: new Date().toUTCString(),
        });
        res.end(body);
        return done(200);
      }
      const f = state.fault?.(req);
      if (f) {
        if (f.hang) {
          // Never answers: the client's timeout has to end it.
          req.on('close', () => done(0));
          return;
        }
        if (f.delayMs) await new Promise((r) => setTimeout(r, f.delayMs));
        if (f.status) {
          res.writeHead(f.status, {
            'content-type': f.type ?? 'text/html; charset=utf-8',
            date: new Date().toUTCString(),
            ...(f.headers ?? {}),
          });
          res.end(f.body ?? `<html><body><h1>${f.status}</h1></body></html>`);
          return done(f.status);
        }
      }
      const target = new URL(path, state.upstream);
      const up = httpRequest(target, { method: req.method, headers: req.headers }, (ur) => {
        const headers = { ...ur.headers };
        if (!headers.date) headers.date = new Date().toUTCString();
        res.writeHead(ur.statusCode ?? 502, headers);
        ur.pipe(res);
        done(ur.statusCode ?? 502);
      });
      up.on('error', (e) => {
        if (!res.headersSent) {
          res.writeHead(502, { 'content-type': 'text/html; charset=utf-8', date: new Date().toUTCString() });
          res.end(`<html><body><h1>502 Bad Gateway</h1><p>${e.code ?? e.message}</p></body></html>`);
        }
        done(502);
      });
      req.pipe(up);
    } catch (e) {
      res.writeHead(e.code === 'ENOENT' ? 404 : 500, { 'content-type': 'text/plain' });
      res.end('not found');
      done(e.code === 'ENOENT' ? 404 : 500);
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((ok) => server.listen(listenPort, '127.0.0.1', ok));
  const { port } = server.address();
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  });
}
