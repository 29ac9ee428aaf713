import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { isIPv6 } from 'node:net';

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/** Where the health check listens unless told otherwise: a sidecar or an exec probe reaches it, the network cannot. */
export const DEFAULT_HEALTH_HOST = '127.0.0.1';

/** `http://host:port/`, with an IPv6 address in brackets. */
export function healthUrl(host: string, port: number): string {
  return `http://${isIPv6(host) ? `[${host}]` : host}:${port}/`;
}

/**
 * An HTTP endpoint for container health checks: any GET answers 200 `{"status":"polling"}` while
 * `state()` says polling, else 503 with the state. It binds `host` (an IP address), loopback by
 * default; a Kubernetes httpGet probe connects to the pod's IP, so it needs `0.0.0.0` or that IP.
 */
export async function startHealthServer(port: number, state: () => string, host = DEFAULT_HEALTH_HOST): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const current = state();
    const ok = current === 'polling';
    res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? (ok ? 200 : 503) : 405, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : JSON.stringify({ status: current }) + '\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
