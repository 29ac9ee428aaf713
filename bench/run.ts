// `npm run bench [-- --quick]`: runs every benchmark against its baseline and writes
// bench/results.json (targets), a Markdown summary and the SVG charts.
// A full run writes bench/results.md and docs/*.svg (committed); a quick run writes the same
// report under bench/quick/ (git-ignored) so it never overwrites the figures of a full run.
// `npm run bench -- publish listener` re-runs the named benchmarks only: their sections replace
// those of the last run of the same kind (full or quick) in results.json, and the report says
// which sections come from an earlier run.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCodecBench } from './codec.bench.js';
import { type BenchOptions, type BenchResult, parseOptions, printResult, type TargetRow } from './harness.js';
import { runIdempotencyBench } from './idempotency.bench.js';
import { runLambdaBench } from './lambda.bench.js';
import { runLargePayloadsBench } from './large-payloads.bench.js';
import { runListenerBench } from './listener.bench.js';
import { runMemoryBench } from './memory.bench.js';
import { runMultiQueueBench } from './multi-queue.bench.js';
import { runPublishBench } from './publish.bench.js';
import { runScalingBench } from './scaling.bench.js';
import { runTelemetryBench } from './telemetry.bench.js';
import { type Image, renderMarkdown } from './report/markdown.js';
import { renderFigure } from './report/svg.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(BENCH_DIR);
const RESULTS = join(BENCH_DIR, 'results.json');

/** One benchmark's result as results.json keeps it, with when it ran. */
interface Section {
  bench: string;
  date: string;
  result: BenchResult;
}

/** The sections of the last run of the same kind (full or quick), or none. */
function previousSections(quick: boolean): Section[] {
  try {
    const previous = JSON.parse(readFileSync(RESULTS, 'utf8')) as { quick?: unknown; sections?: unknown };
    return previous.quick === quick && Array.isArray(previous.sections) ? (previous.sections as Section[]) : [];
  } catch {
    return [];
  }
}

/** The matcher benchmark (bench/match.bench.ts): its full result with the scaling figure when it offers one, else its target rows. */
async function runMatch(opts: BenchOptions): Promise<BenchResult> {
  const modulePath = './match.bench.js';
  const mod = (await import(modulePath)) as {
    matchBenchResult?: (o: BenchOptions) => Promise<BenchResult>;
    runMatchBench(o: BenchOptions): Promise<TargetRow[]>;
  };
  if (mod.matchBenchResult) return mod.matchBenchResult(opts);
  return { title: 'Subscriber matching', targets: await mod.runMatchBench(opts) };
}

const BENCHES: { name: string; run(o: BenchOptions): Promise<BenchResult> }[] = [
  { name: 'codec', run: runCodecBench },
  { name: 'matching', run: runMatch },
  { name: 'publish', run: runPublishBench },
  { name: 'listener', run: runListenerBench },
  { name: 'lambda', run: runLambdaBench },
  { name: 'telemetry', run: runTelemetryBench },
  { name: 'idempotency', run: runIdempotencyBench },
  { name: 'scaling', run: runScalingBench },
  { name: 'multi-queue', run: runMultiQueueBench },
  { name: 'memory', run: runMemoryBench },
  { name: 'large-payloads', run: runLargePayloadsBench },
];

async function main(): Promise<void> {
  const opts = parseOptions();
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const started = performance.now();
  const date = new Date().toISOString();
  const ran: Section[] = [];
  const failures: string[] = [];
  for (const bench of BENCHES) {
    if (only.length > 0 && !only.includes(bench.name)) continue;
    console.error(`running ${bench.name}${opts.quick ? ' (quick)' : ''}...`);
    try {
      const result = await bench.run(opts);
      printResult(result);
      ran.push({ bench: bench.name, date, result });
    } catch (error) {
      console.error(`${bench.name} failed:`, error);
      failures.push(`${bench.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // A partial run keeps the other benchmarks' sections from the last run, in the usual order.
  const earlier = only.length > 0 ? previousSections(opts.quick) : [];
  const sections = BENCHES.flatMap((b) => ran.find((s) => s.bench === b.name) ?? earlier.filter((s) => s.bench === b.name && !only.includes(b.name)));
  const carried = sections.filter((s) => s.date !== date).map((s) => `${s.bench} (${s.date})`);
  const results = sections.map((s) => s.result);
  const info = {
    date,
    node: process.versions.node,
    quick: opts.quick,
    seconds: (performance.now() - started) / 1000,
    carried,
  };
  const targets = results.flatMap((r) => r.targets);
  writeFileSync(RESULTS, `${JSON.stringify({ date, node: info.node, quick: info.quick, targets, failures, sections }, null, 2)}\n`);

  const reportDir = opts.quick ? join(BENCH_DIR, 'quick') : BENCH_DIR;
  const chartDir = opts.quick ? reportDir : join(ROOT, 'docs');
  mkdirSync(reportDir, { recursive: true });
  mkdirSync(chartDir, { recursive: true });
  const images = new Map<BenchResult, Image[]>();
  for (const r of results) {
    const files: Image[] = [];
    for (const figure of r.figures ?? []) {
      const file = join(chartDir, figure.file);
      writeFileSync(file, renderFigure(figure));
      files.push({ path: relative(reportDir, file), title: figure.title });
    }
    images.set(r, files);
  }
  const md = join(reportDir, 'results.md');
  writeFileSync(md, renderMarkdown(info, results, images, failures));
  const met = targets.filter((t) => t.met).length;
  console.error(`\n${met} of ${targets.length} targets met; wrote ${relative(ROOT, join(BENCH_DIR, 'results.json'))} and ${relative(ROOT, md)} in ${Math.round(info.seconds)} s`);
  if (failures.length > 0) process.exitCode = 1;
}

await main();
