// A real HTTP proxy on 127.0.0.1 for the proxy tests: TooTallNate's `proxy` (forwards plain requests, tunnels CONNECT).
// It alone knows the test host names (e.g. comet-proxy-test.invalid -> 127.0.0.1), so a request to one of them arrives
// only through it, and it logs every request it carries, one JSON line each, to `logFile`.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxy } from 'proxy';

export const PROXY_TEST_HOST = 'comet-proxy-test.invalid';

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

export async function startTestProxy(logFile: string, hosts: Record<string, string> = { [PROXY_TEST_HOST]: '127.0.0.1' }): Promise<TestProxy> {
  fs.writeFileSync(logFile, '');
  const server = createProxy(http.createServer());
  // `authenticate` runs before the proxy connects anywhere, for plain requests and CONNECT alike: log the request,
  // then point a test host name at its address (the rest of the URL, port included, stays).
  (server as unknown as { authenticate: (req: http.IncomingMessage) => boolean }).authenticate = req => {
    const entry: ProxyLogEntry = { method: req.method ?? '', url: req.url ?? '', at: Date.now() };
    fs.appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
    for (const [name, address] of Object.entries(hosts)) {
      if (req.url) req.url = req.url.replace(new RegExp(`(^|//)${name.replace(/\./g, '\\.')}(?=[:/]|$)`), `$1${address}`);
    }
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
