// The benchmarks' child processes (consumer workers, memory and large-payload children) and the
// package's entry points that in-process benchmarks load, compiled
// with tsc to dist/bench-children/ (src/ included) and run on plain node, as a deployed service runs:
// a TypeScript loader in the process would add its own CPU and memory to every figure.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const ROOT = dirname(BENCH_DIR);
let built = false;

/** Compiles the children once per process (about 15 s). */
export function buildChildren(): void {
  if (built) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(BENCH_DIR, 'tsconfig.children.json')], { cwd: ROOT, stdio: 'inherit' });
  built = true;
}

/** The compiled path of `bench/support/<name>.ts`, built first when needed. */
export function compiledChild(name: string): string {
  buildChildren();
  return join(ROOT, 'dist', 'bench-children', 'bench', 'support', `${name}.js`);
}

/** The compiled module `src/<path>` (e.g. `lambda.js`) as a URL to import, built first when needed. */
export function compiledSource(path: string): string {
  buildChildren();
  return pathToFileURL(join(ROOT, 'dist', 'bench-children', 'src', path)).href;
}
