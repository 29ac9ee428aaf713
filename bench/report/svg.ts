// Draws the benchmark figures as small standalone SVG files, by hand (no chart dependency).
import type { BarFigure, Figure, LineFigure } from '../harness.js';

const W = 720;
const H = 420;
const M = { top: 64, right: 28, bottom: 56, left: 84 };
const PLOT_W = W - M.left - M.right;
const PLOT_H = H - M.top - M.bottom;
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

export function renderFigure(figure: Figure): string {
  return figure.kind === 'line' ? renderLine(figure) : renderBar(figure);
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function label(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e6) return `${trim(n / 1e6)}M`;
  if (abs >= 1e3) return `${trim(n / 1e3)}k`;
  return trim(n);
}

function trim(n: number): string {
  return Number(n.toPrecision(3)).toString();
}

/** Round tick values covering [min, max]: powers of ten on a log axis, 1/2/5 steps on a linear one. */
function ticks(min: number, max: number, log: boolean): number[] {
  if (log) {
    const lo = Math.floor(Math.log10(min));
    const hi = Math.ceil(Math.log10(max));
    // Over a few decades, 2x and 5x ticks too, trimmed to the data's range.
    const steps = hi - lo <= 3 ? [1, 2, 5] : [1];
    const out: number[] = [];
    for (let e = lo; e <= hi; e++) for (const f of steps) out.push(f * 10 ** e);
    const first = out.findLastIndex((t) => t <= min);
    const last = out.findIndex((t) => t >= max);
    return out.slice(Math.max(0, first), last + 1);
  }
  const raw = (max - min) / 5 || 1;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [Math.floor(min / step) * step];
  while (out[out.length - 1]! < max) out.push(out[out.length - 1]! + step);
  return out;
}

interface Scale {
  at(v: number): number;
  ticks: number[];
}

function scale(values: number[], log: boolean, from: number, to: number, zero: boolean): Scale {
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (zero && !log) min = Math.min(0, min);
  if (min === max) max = min + 1;
  const t = ticks(min, max, log);
  const lo = t[0]!;
  const hi = t[t.length - 1]!;
  const f = log ? Math.log10 : (v: number) => v;
  return { ticks: t, at: (v) => from + ((f(v) - f(lo)) / (f(hi) - f(lo))) * (to - from) };
}

/** An x axis whose ticks are the measured x values themselves (few, and exactly what was run). */
function dataScale(values: number[], log: boolean, from: number, to: number): Scale {
  const t = [...new Set(values)].sort((a, b) => a - b);
  const lo = t[0]!;
  const hi = t[t.length - 1]! === lo ? lo + 1 : t[t.length - 1]!;
  const f = log ? Math.log10 : (v: number) => v;
  return { ticks: t, at: (v) => from + ((f(v) - f(lo)) / (f(hi) - f(lo))) * (to - from) };
}

function frame(title: string, yLabel: string, xLabel: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${M.left}" y="24" font-size="14" font-weight="bold">${esc(title)}</text>`,
    `<text transform="translate(18 ${M.top + PLOT_H / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`,
    `<text x="${M.left + PLOT_W / 2}" y="${H - 14}" text-anchor="middle">${esc(xLabel)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

function yAxis(y: Scale): string[] {
  const out: string[] = [];
  for (const t of y.ticks) {
    const py = y.at(t).toFixed(1);
    out.push(`<line x1="${M.left}" x2="${M.left + PLOT_W}" y1="${py}" y2="${py}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${M.left - 8}" y="${py}" dy="4" text-anchor="end">${label(t)}</text>`);
  }
  out.push(`<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${M.top + PLOT_H}" stroke="#333"/>`);
  out.push(`<line x1="${M.left}" x2="${M.left + PLOT_W}" y1="${M.top + PLOT_H}" y2="${M.top + PLOT_H}" stroke="#333"/>`);
  return out;
}

function renderLine(fig: LineFigure): string {
  const xs = fig.series.flatMap((s) => s.points.map((p) => p.x));
  const ys = fig.series.flatMap((s) => s.points.map((p) => p.y));
  const x = dataScale(xs, fig.logX ?? false, M.left + 12, M.left + PLOT_W - 12);
  const y = scale(ys, fig.logY ?? false, M.top + PLOT_H, M.top, true);
  const body = yAxis(y);
  for (const t of x.ticks) {
    const px = x.at(t).toFixed(1);
    body.push(`<line x1="${px}" x2="${px}" y1="${M.top + PLOT_H}" y2="${M.top + PLOT_H + 5}" stroke="#333"/>`);
    body.push(`<text x="${px}" y="${M.top + PLOT_H + 20}" text-anchor="middle">${label(t)}</text>`);
  }
  fig.series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const pts = s.points.map((p) => `${x.at(p.x).toFixed(1)},${y.at(p.y).toFixed(1)}`);
    body.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${pts.join(' ')}"/>`);
    for (const p of s.points) {
      body.push(`<circle cx="${x.at(p.x).toFixed(1)}" cy="${y.at(p.y).toFixed(1)}" r="3.5" fill="${colour}"><title>${esc(s.label)}: ${label(p.x)} -> ${label(p.y)}</title></circle>`);
    }
    // Legend under the title: items side by side, wrapping to a second row (text ~6.5 px a character).
    const widths = fig.series.map((prev) => 40 + prev.label.length * 6.5);
    let lx = M.left;
    let ly = 42;
    for (let k = 0; k < i; k++) {
      lx += widths[k]!;
      if (lx + widths[k + 1]! > W - M.right) {
        lx = M.left;
        ly += 16;
      }
    }
    body.push(`<line x1="${lx}" x2="${lx + 20}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2"/>`);
    body.push(`<text x="${lx + 26}" y="${ly}" dy="4">${esc(s.label)}</text>`);
  });
  return frame(fig.title, fig.yLabel, fig.xLabel, body);
}

function renderBar(fig: BarFigure): string {
  // Headroom above the tallest whisker for its value label.
  const tops = fig.bars.map((b) => Math.max(b.value, b.max ?? b.value) * 1.08);
  const y = scale([0, ...tops], false, M.top + PLOT_H, M.top, true);
  const body = yAxis(y);
  const slot = PLOT_W / fig.bars.length;
  const width = Math.min(90, slot * 0.6);
  fig.bars.forEach((b, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const cx = M.left + slot * (i + 0.5);
    const top = y.at(b.value);
    body.push(`<rect x="${(cx - width / 2).toFixed(1)}" y="${top.toFixed(1)}" width="${width.toFixed(1)}" height="${(M.top + PLOT_H - top).toFixed(1)}" fill="${colour}" fill-opacity="0.85"/>`);
    if (b.min !== undefined && b.max !== undefined) {
      const y1 = y.at(b.min).toFixed(1);
      const y2 = y.at(b.max).toFixed(1);
      body.push(`<line x1="${cx}" x2="${cx}" y1="${y1}" y2="${y2}" stroke="#222" stroke-width="1.5"/>`);
      body.push(`<line x1="${cx - 8}" x2="${cx + 8}" y1="${y1}" y2="${y1}" stroke="#222" stroke-width="1.5"/>`);
      body.push(`<line x1="${cx - 8}" x2="${cx + 8}" y1="${y2}" y2="${y2}" stroke="#222" stroke-width="1.5"/>`);
    }
    body.push(`<text x="${cx}" y="${(top - 6).toFixed(1)}" dx="${width / 2 + 4}" font-weight="bold">${label(b.value)}</text>`);
    body.push(`<text x="${cx}" y="${M.top + PLOT_H + 20}" text-anchor="middle">${esc(b.label)}</text>`);
  });
  return frame(fig.title, fig.yLabel, '', body);
}
