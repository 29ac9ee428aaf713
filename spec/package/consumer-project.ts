// Helpers for pack.spec.ts: run commands, pack the repository, and install the tarball into an
// empty project without touching the network.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * What a user's shell would have: no AWS settings, no loader inherited from mocha (tsx), and none
 * of the package variables npm sets for the running script.
 */
export function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(AWS_|NODE_OPTIONS$|npm_package_|npm_lifecycle_)/.test(key)) continue;
    env[key] = value;
  }
  return env;
}

/** Runs a command to completion; never rejects on a non-zero exit (the caller checks `code`). */
export function run(file: string, args: readonly string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, env: userEnv(), maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error !== null && typeof error.code !== 'number') reject(error);
      else resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
    });
  });
}

/** Like `run`, but a non-zero exit is an error that carries the command's output. */
export async function mustRun(file: string, args: readonly string[], cwd: string): Promise<Run> {
  const result = await run(file, args, cwd);
  if (result.code !== 0) {
    throw new Error(`${basename(file)} ${args.join(' ')} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

export interface PackedFile {
  path: string;
  size: number;
  mode: number;
}

export interface Packed {
  tarball: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: PackedFile[];
}

/** `npm pack` of the repository (its `prepack` builds dist/ first), as npm reports it. */
export async function npmPack(destination: string): Promise<Packed> {
  const { stdout } = await mustRun('npm', ['pack', '--json', '--pack-destination', destination], PROJECT_ROOT);
  const [report] = JSON.parse(stdout) as [{ filename: string; size: number; unpackedSize: number; entryCount: number; files: PackedFile[] }];
  return { ...report, tarball: join(destination, report.filename) };
}

interface LockEntry {
  version?: string;
  dev?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  [key: string]: unknown;
}

/**
 * Creates an empty ESM project at `app` that depends on the tarball and installs it with
 * `npm ci --offline`. Its lockfile pins the runtime dependencies to the versions in the
 * repository's own lockfile, so the install needs nothing beyond what `npm ci` already put in
 * the npm cache (a plain `npm install <tarball>` would have to ask the registry for version
 * lists). Dev dependencies are left out: the package must run with its declared dependencies alone.
 */
export async function installTarball(app: string, tarball: string): Promise<void> {
  const pkg = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  const lock = JSON.parse(await readFile(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const spec = `file:${tarball}`;
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', dependencies: { 'sqs-mega': spec } },
    'node_modules/sqs-mega': {
      version: pkg.version,
      resolved: spec,
      license: pkg.license,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.dev === true) continue;
    const { dev: _dev, devOptional: _devOptional, peer: _peer, ...kept } = entry;
    packages[path] = kept;
  }
  await mkdir(app, { recursive: true });
  const manifest = { name: 'consumer', private: true, type: 'module', dependencies: { 'sqs-mega': spec } };
  await writeFile(join(app, 'package.json'), JSON.stringify(manifest, null, 2));
  await writeFile(join(app, 'package-lock.json'), JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }, null, 2));
  await mustRun('npm', ['ci', '--offline', '--no-audit', '--no-fund'], app);
}
