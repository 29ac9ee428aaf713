// The measuring rules every benchmark shares: warm-up rounds that are thrown away, then several
// rounds in which the subject and its baselines take turns (A, B, C, B, C, A, ...) so that the
// machine's noise (2 shared cores) falls on all of them alike; medians decide, min/max show spread.
import { pathToFileURL } from 'node:url';

// On Node 20 the AWS SDK warns once per process that its support ends in 2027; noise in bench output.
if (Number(process.versions.node.split('.')[0]) < 22) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

export interface BenchOptions {
  /** Fewer rounds and smaller sizes, so that the whole suite runs in about a minute. */
  quick: boolean;
}

export function parseOptions(argv: readonly string[] = process.argv.slice(2)): BenchOptions {
  return { quick: argv.includes('--quick') };
}

/** True when `importMetaUrl` is the module node was started with (run a bench file on its own). */
export function isMain(importMetaUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && importMetaUrl === pathToFileURL(entry).href;
}

export interface Stats {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

export function stats(samples: readonly number[]): Stats {
  if (samples.length === 0) throw new Error('stats of no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, samples: [...samples] };
}

/** One contender in a comparison; `round()` does one measured round and returns its value. */
export interface Contender {
  name: string;
  round(): Promise<number> | number;
}

export interface InterleaveOptions {
  warmup: number;
  rounds: number;
  /** Called after each measured round, e.g. to print progress. */
  onRound?: (name: string, value: number) => void;
}

/**
 * Runs every contender `warmup` times (discarded), then `rounds` times each, interleaved; the
 * starting contender rotates each round so none always runs first (on a cold cache) or last.
 */
export async function interleave(contenders: readonly Contender[], opts: InterleaveOptions): Promise<Record<string, Stats>> {
  for (let w = 0; w < opts.warmup; w++) for (const c of contenders) await c.round();
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let r = 0; r < opts.rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(r + k) % contenders.length]!;
      const value = await c.round();
      samples.get(c.name)!.push(value);
      opts.onRound?.(c.name, value);
    }
  }
  const out: Record<string, Stats> = {};
  for (const [name, values] of samples) out[name] = stats(values);
  return out;
}

let sink: unknown;
/** Keeps a result alive so the optimiser cannot drop the work that produced it. */
export function consume(value: unknown): void {
  sink = value;
}
/** The last value kept (exported so the sink is observable from outside and stays a real store). */
export function sinkValue(): unknown {
  return sink;
}

/** CPU time this process has used, in nanoseconds (user + system, all threads). */
function cpuNs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) * 1000;
}

/**
 * A micro-benchmark round: runs `fn` `iterations` times and returns nanoseconds of CPU time per call.
 * CPU time rather than wall time, because on a shared machine the wall clock also counts the time
 * other processes held the core (3-7x the real cost under load here); GC threads still count.
 * Results go to a sink so that the work is not optimised away.
 */
export function nsPerOp(fn: () => unknown, iterations: number): number {
  const start = cpuNs();
  for (let i = 0; i < iterations; i++) sink = fn();
  return (cpuNs() - start) / iterations;
}

/** How many calls of `fn` take about `ms` milliseconds of CPU (after a short warm-up), so rounds last long enough to time. */
export function calibrate(fn: () => unknown, ms: number): number {
  let iterations = 1;
  for (;;) {
    const start = cpuNs();
    for (let i = 0; i < iterations; i++) sink = fn();
    const took = (cpuNs() - start) / 1e6;
    if (took >= ms / 4) return Math.max(1, Math.round((iterations * ms) / took));
    iterations *= 2;
  }
}

/** How a target is judged: the ratio (or, with no baseline, the value) against `target`. */
export type Goal = 'ratio>=' | 'ratio<=' | 'value<=' | 'value>=';

export interface TargetRow {
  name: string;
  /** The subject's median. */
  value: number;
  /** The baseline's median, measured in the same run (null for absolute targets). */
  baseline: number | null;
  /** value / baseline, or a paired estimate the row's note explains (null for absolute targets). */
  ratio: number | null;
  target: number;
  met: boolean;
  unit: string;
  goal: Goal;
  /** Spread of the subject's rounds. */
  min?: number;
  max?: number;
  note?: string;
}

export function targetRow(row: {
  name: string;
  value: number;
  baseline?: number | null;
  /** A ratio measured otherwise than value / baseline (round by round, in pairs); say how in `note`. */
  ratio?: number;
  target: number;
  goal: Goal;
  unit: string;
  min?: number;
  max?: number;
  note?: string;
}): TargetRow {
  const baseline = row.baseline ?? null;
  const ratio = baseline === null ? null : (row.ratio ?? row.value / baseline);
  let met: boolean;
  switch (row.goal) {
    case 'ratio>=':
      met = ratio !== null && ratio >= row.target;
      break;
    case 'ratio<=':
      met = ratio !== null && ratio <= row.target;
      break;
    case 'value<=':
      met = row.value <= row.target;
      break;
    case 'value>=':
      met = row.value >= row.target;
      break;
  }
  return { ...row, baseline, ratio, met };
}

/** A series for a chart: one line, x against y. */
export interface Series {
  label: string;
  points: { x: number; y: number }[];
}

interface FigureBase {
  /** File name under docs/, e.g. 'listener-throughput.svg'. */
  file: string;
  title: string;
  yLabel: string;
}

/** Lines of x against y, e.g. throughput against subscriber count. */
export interface LineFigure extends FigureBase {
  kind: 'line';
  xLabel: string;
  logX?: boolean;
  logY?: boolean;
  series: Series[];
}

/** One bar per contender: the median, with a whisker from min to max. */
export interface BarFigure extends FigureBase {
  kind: 'bar';
  bars: { label: string; value: number; min?: number; max?: number }[];
}

export type Figure = LineFigure | BarFigure;

/** Every benchmark module returns this; run.ts gathers them into results.json and results.md. */
export interface BenchResult {
  title: string;
  targets: TargetRow[];
  /** Extra measured figures worth printing (not targets), as Markdown table rows. */
  table?: { head: string[]; rows: (string | number)[][] };
  figures?: Figure[];
  notes?: string[];
}

export function fmt(n: number | null, digits = 3): string {
  if (n === null) return '-';
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  return Number(n.toPrecision(digits)).toString();
}

export function printResult(result: BenchResult): void {
  console.log(`\n## ${result.title}`);
  if (result.table) {
    console.log(result.table.head.join(' | '));
    for (const row of result.table.rows) console.log(row.map((c) => (typeof c === 'number' ? fmt(c) : c)).join(' | '));
  }
  for (const t of result.targets) {
    const ratio = t.ratio === null ? '' : ` ratio ${fmt(t.ratio)}`;
    console.log(
      `${t.met ? 'MET ' : 'MISS'} ${t.name}: ${fmt(t.value)} ${t.unit} (baseline ${fmt(t.baseline)})${ratio}, goal ${t.goal} ${t.target}`,
    );
  }
  for (const n of result.notes ?? []) console.log(`note: ${n}`);
}
