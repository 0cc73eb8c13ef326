// A real HTTP proxy on 127.0.0.1 for the proxy tests: TooTallNate's `proxy` (forwards plain requests, tunnels CONNECT).
// It alone knows the test host names (e.g. comet-proxy-test.invalid -> 127.0.0.1), so a request to one of them arrives
// only through it, and it logs every request it carries, one JSON line each, to `logFile`.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxy } from 'proxy';

export const PROXY_TEST_HOST = 'comet-proxy-test.invalid';
/** For GET /models: another name, so that it needs a connection (and a CONNECT) of its own. */
export const PROXY_TEST_HOST_MODELS = 'models.comet-proxy-test.invalid';
/** Also known only to the proxy, and listed in http.noProxy: a request to it must not go through the proxy. */
export const NO_PROXY_TEST_HOST = 'comet-noproxy-test.invalid';

export interface ProxyLogEntry {
  method: string;
  /** As the client asked: an absolute URL, or host:port for CONNECT. */
  url: string;
  at: number;
}

export interface TestProxy {
  url: string;
  logFile: string;
  close(): Promise<void>;
}

/** A proxy that maps every host name under `.invalid` (reserved: it never resolves anywhere else) to `address`. */
export async function startTestProxy(logFile: string, address = '127.0.0.1'): Promise<TestProxy> {
  fs.writeFileSync(logFile, '');
  const server = createProxy(http.createServer());
  // `authenticate` runs before the proxy connects anywhere, for plain requests and CONNECT alike: log the request,
  // then point a test host name at the loopback address (the rest of the URL, port included, stays).
  (server as unknown as { authenticate: (req: http.IncomingMessage) => boolean }).authenticate = req => {
    const entry: ProxyLogEntry = { method: req.method ?? '', url: req.url ?? '', at: Date.now() };
    fs.appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
    if (req.url) req.url = req.url.replace(/(^|\/\/)(?:[a-z0-9-]+\.)+invalid(?=[:/]|$)/i, `$1${address}`);
    return true;
  };
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    logFile,
    close: () =>
      new Promise(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function readProxyLog(logFile: string): ProxyLogEntry[] {
  if (!fs.existsSync(logFile)) return [];
  return fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map(line => JSON.parse(line) as ProxyLogEntry);
}
