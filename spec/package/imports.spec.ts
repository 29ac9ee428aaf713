// Modules import downwards only: a cycle makes load order decide what is defined (an import
// seen as undefined at start-up) and ties modules that should change apart; a layer that reaches up
// or sideways (one transport into another, dispatch into AWS) ties concerns the layout keeps apart.
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const SRC = new URL('../../src/', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Relative imports of every source file (type-only ones too: they tie the modules just the same). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    const deps = [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((m) => join(dirname(file), (m[1] as string).replace(/\.js$/, '.ts')));
    graph.set(file, deps);
  }
  return graph;
}

function cycles(graph: Map<string, string[]>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const found: string[] = [];
  const visit = (node: string, stack: string[]): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const dep of graph.get(node) ?? []) {
      if (state.get(dep) === 'open') found.push([...stack.slice(stack.indexOf(dep)), dep].map((f) => relative(SRC, f)).join(' -> '));
      else if (!state.has(dep)) visit(dep, stack);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node, []);
  return found;
}

/**
 * Each folder of src/ and its rank: a module imports only from its own folder or a lower rank. Folders
 * of one rank stand side by side and never import each other (the transports, the per-message features).
 */
const LAYERS: Record<string, number> = {
  protocol: 0,
  codec: 1,
  match: 2,
  dispatch: 3,
  filter: 4,
  aws: 5,
  'large-payloads': 6,
  idempotency: 6,
  telemetry: 6,
  consume: 7,
  listener: 8,
  lambda: 8,
  publish: 8,
  '.': 9, // the entry points: index.ts, lambda.ts, testing.ts
  cli: 10,
};

const layerOf = (file: string) => (relative(SRC, file).includes('/') ? relative(SRC, file).split('/')[0] : '.') as string;

function layerBreaches(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  for (const [file, deps] of graph) {
    const from = layerOf(file);
    for (const dep of deps) {
      const to = layerOf(dep);
      const edge = `${relative(SRC, file)} -> ${relative(SRC, dep)}`;
      if (from === to) continue;
      const [rankFrom, rankTo] = [LAYERS[from], LAYERS[to]];
      if (rankFrom === undefined || rankTo === undefined || rankTo >= rankFrom) found.push(edge);
    }
  }
  return found;
}

describe('package/imports', () => {
  it('has no import cycle between source modules', () => {
    expect(cycles(importGraph())).to.deep.equal([]);
  });

  it('imports only down the layers: never up, nor sideways between transports', () => {
    expect(layerBreaches(importGraph())).to.deep.equal([]);
  });

  it('ranks every folder of src/', () => {
    const folders = readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => LAYERS[f] === undefined)).to.deep.equal([]);
  });
});
