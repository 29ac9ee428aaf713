// The Markdown summary of one benchmark run: every target with its median, baseline and ratio,
// then each benchmark's own table, charts and notes.
import { cpus, totalmem } from 'node:os';
import { type BenchResult, fmt, type TargetRow } from '../harness.js';

export interface RunInfo {
  date: string;
  node: string;
  quick: boolean;
  seconds: number;
  /** Sections taken over from an earlier run (a partial run), as `name (date)`. */
  carried?: string[];
}

function goalText(t: TargetRow): string {
  const [what, op] = t.goal.startsWith('ratio') ? ['ratio', t.goal.slice(5)] : ['value', t.goal.slice(5)];
  return `${what} ${op} ${t.target}${what === 'value' ? ` ${t.unit}` : ''}`;
}

function cell(v: string | number): string {
  return typeof v === 'number' ? fmt(v) : v.replace(/\|/g, '\\|');
}

export interface Image {
  /** Path relative to the Markdown file. */
  path: string;
  title: string;
}

export function renderMarkdown(info: RunInfo, results: BenchResult[], images: Map<BenchResult, Image[]>, failures: string[]): string {
  const targets = results.flatMap((r) => r.targets);
  const met = targets.filter((t) => t.met).length;
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const out: string[] = [
    `# Benchmark results${info.quick ? ' (quick run: fewer rounds, smaller sizes)' : ''}`,
    '',
    `${info.date}, Node ${info.node}, ${cpus().length} cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM; ` +
      `the whole run took ${Math.round(info.seconds)} s. Produced by \`npm run bench${info.quick ? ' -- --quick' : ''}\`; ` +
      'every value is a median over interleaved rounds, every baseline was measured in the same run. Method: docs/performance.md.',
    ...(info.carried?.length ? ['', `This run re-ran some benchmarks only; these sections come from an earlier run: ${info.carried.join(', ')}.`] : []),
    '',
    `**${met} of ${targets.length} targets met.**`,
    '',
    '| target | ours (median) | baseline (median) | ratio | goal | met |',
    '|---|---|---|---|---|---|',
  ];
  for (const t of targets) {
    out.push(`| ${cell(t.name)} | ${fmt(t.value)} ${t.unit} | ${t.baseline === null ? '-' : `${fmt(t.baseline)} ${t.unit}`} | ${fmt(t.ratio)} | ${goalText(t)} | ${t.met ? 'yes' : '**no**'} |`);
  }
  if (failures.length > 0) {
    out.push('', '**Benchmarks that failed to run:**', '');
    for (const f of failures) out.push(`- ${f}`);
  }
  for (const r of results) {
    out.push('', `## ${r.title}`, '');
    if (r.table) {
      out.push(`| ${r.table.head.map(cell).join(' | ')} |`, `|${r.table.head.map(() => '---').join('|')}|`);
      for (const row of r.table.rows) out.push(`| ${row.map(cell).join(' | ')} |`);
      out.push('');
    }
    for (const t of r.targets) {
      const spread = t.min !== undefined && t.max !== undefined ? ` (rounds ${fmt(t.min)}-${fmt(t.max)})` : '';
      out.push(`- ${t.met ? 'met' : '**not met**'}: ${t.name}: ${fmt(t.value)} ${t.unit}${spread}` +
        `${t.baseline === null ? '' : ` vs ${fmt(t.baseline)} ${t.unit}, ratio ${fmt(t.ratio)}`}; goal ${goalText(t)}${t.note ? `. ${t.note}` : ''}`);
    }
    for (const n of r.notes ?? []) out.push(`- ${n}`);
    for (const img of images.get(r) ?? []) out.push('', `![${img.title}](${img.path})`);
  }
  out.push('');
  return out.join('\n');
}
