import { createServer } from 'node:http';
import type { Server } from 'node:http';

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

/**
 * A loopback-only HTTP endpoint for container health checks: any GET answers 200 `{"status":"polling"}`
 * while `state()` says polling, else 503 with the state. Loopback only: a sidecar or the kubelet's
 * exec probe can reach it, the network cannot.
 */
export async function startHealthServer(port: number, state: () => string): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const current = state();
    const ok = current === 'polling';
    res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? (ok ? 200 : 503) : 405, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : JSON.stringify({ status: current }) + '\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
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
