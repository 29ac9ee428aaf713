// Test harness: a real redis-server on 127.0.0.1 on a free port, started and stopped by the specs
// that need it (no persistence: `--save '' --appendonly no`). When redis-server is missing, importing
// this module installs it where it can (root with apt-get) or fails the run at once, naming the package.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { createClient } from 'redis';

export const REDIS_PACKAGE = 'redis-server';

function findRedisServer(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin'].filter((d) => d.startsWith('/'));
  return dirs.map((d) => join(d, 'redis-server')).find((file) => existsSync(file));
}

/** The redis-server binary, installed with apt-get when missing and we are root; otherwise one line saying what to install. */
function ensureRedisServer(): string {
  const found = findRedisServer();
  if (found) return found;
  const root = process.getuid?.() === 0;
  if (root && existsSync('/usr/bin/apt-get')) {
    process.stderr.write(`redis-server is missing: installing the ${REDIS_PACKAGE} package with apt-get for the Redis specs\n`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', REDIS_PACKAGE], { stdio: 'inherit', env });
    const installed = findRedisServer();
    if (installed) return installed;
  }
  throw new Error(`the Redis specs need redis-server: install the ${REDIS_PACKAGE} package (apt-get install ${REDIS_PACKAGE}) and run the tests again`);
}

export const REDIS_SERVER = ensureRedisServer();

/** A node-redis client that keeps reconnecting (every 100 ms) while the server is down. */
export const redisClient = (url: string) => createClient({ url, socket: { reconnectStrategy: () => 100 } });
export type TestRedisClient = ReturnType<typeof redisClient>;

export interface TestRedis {
  port: number;
  url: string;
  /** A connected node-redis client for the spec itself (closed by stop()). */
  client: TestRedisClient;
  /** Kills the server (SIGKILL: every key is lost, as in a crash without persistence). */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no free TCP port');
  return address.port;
}

async function launch(port: number): Promise<ChildProcess> {
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start on port ${port}: ${output}`)), 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${code ?? signal}) before it was ready: ${output}`));
    });
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

async function end(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill(signal);
  await exited;
}

/** Starts a redis-server for this spec file; call stop() in its after hook. */
export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  let child = await launch(port);
  const url = `redis://127.0.0.1:${port}`;
  const client = redisClient(url);
  client.on('error', () => undefined); // reconnects on its own; the specs kill the server on purpose
  await client.connect();
  return {
    port,
    url,
    client,
    kill: () => end(child, 'SIGKILL'),
    async restart() {
      child = await launch(port);
    },
    async stop() {
      client.destroy();
      await end(child, 'SIGTERM');
    },
  };
}
