/**
 * A conservative check for regular expressions at risk of catastrophic backtracking. Patterns run
 * against hostile message bodies, so at compile time we refuse the shapes that make a backtracking
 * engine explode:
 * - a repeated group holding a variable-length quantifier that can match the same text as what
 *   follows it, including the group's next repetition: `(a+)+`, `(\w+\s?)*`, `(a{1,3})*`
 *   (while `(\.[\w-]+)+` is fine: each repetition starts with a dot the quantifier cannot take);
 * - a repeated alternation whose branches can start with the same character: `(a|a)*`, `(\w|\d)+`;
 * - two unbounded quantifiers in a row where the first can end with what the second starts with:
 *   `\d+\d*`, `.*.*`.
 * It is a syntactic approximation: it may refuse a harmless expression (use a predicate function
 * then), but it catches the textbook exponential and polynomial cases.
 */

import { children, first, last, nullable, Parser, some, type Node } from './regex-syntax.js';

const SAMPLES: readonly string[] = [
  ...Array.from({ length: 0x300 }, (_, code) => String.fromCharCode(code)),
  '\u4e00', '\u0430', '\u2028', '\u3000', '\uffff', '\ud83d\ude00',
];

// Which sample characters a class matches, as a bit set; cached, since the same few classes
// (\w, \d, ., [a-z]...) recur across many subscribers' patterns.
const signatures = new Map<string, Uint32Array | null>();

function signature(cls: string, flags: string): Uint32Array | null {
  const key = `${flags}/${cls}`;
  let bits = signatures.get(key);
  if (bits !== undefined) return bits;
  try {
    const re = new RegExp(`^(?:${cls})$`, flags.includes('s') ? flags : `${flags}s`);
    bits = new Uint32Array(Math.ceil(SAMPLES.length / 32));
    SAMPLES.forEach((ch, i) => {
      if (re.test(ch)) (bits as Uint32Array)[i >> 5] = ((bits as Uint32Array)[i >> 5] as number) | (1 << (i & 31));
    });
  } catch {
    bits = null; // unknown to us: assume it overlaps everything
  }
  if (signatures.size > 10_000) signatures.clear();
  signatures.set(key, bits);
  return bits;
}

/** Whether some character matches a class of each list (sampled over Latin, Latin-1 and a few others). */
function overlaps(a: readonly string[], b: readonly string[], flags: string): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const f = flags.replace(/[gymd]/g, '');
  const union = (classes: readonly string[]): Uint32Array | null => {
    const out = new Uint32Array(Math.ceil(SAMPLES.length / 32));
    for (const cls of classes) {
      const bits = signature(cls, f);
      if (bits === null) return null;
      for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) | (bits[i] as number);
    }
    return out;
  };
  const left = union(a);
  const right = union(b);
  if (left === null || right === null) return true;
  for (let i = 0; i < left.length; i++) if (((left[i] as number) & (right[i] as number)) !== 0) return true;
  return false;
}

/** A quantifier whose repetitions can consume different amounts of text. */
function variable(node: Node): node is Extract<Node, { type: 'repeat' }> {
  return node.type === 'repeat' && node.max > node.min && first(node.body).length > 0;
}

/**
 * Inside a repeated group: a variable quantifier whose characters can also be what follows it
 * (the rest of the group, or the group's next repetition) splits the text in exponentially many
 * ways. `after` is what can come right after `node`.
 */
function ambiguousSplit(node: Node, after: readonly string[], flags: string): boolean {
  switch (node.type) {
    case 'atom':
      return false;
    case 'zero':
      return node.body !== undefined && ambiguousSplit(node.body, [], flags);
    case 'alt':
      return node.branches.some((b) => ambiguousSplit(b, after, flags));
    case 'seq': {
      let follow = after;
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = node.items[i] as Node;
        if (ambiguousSplit(item, follow, flags)) return true;
        follow = nullable(item) ? [...first(item), ...follow] : first(item);
      }
      return false;
    }
    case 'repeat': {
      const own = first(node.body);
      if (variable(node) && overlaps(own, after, flags)) return true;
      return ambiguousSplit(node.body, node.max > 1 ? [...own, ...after] : after, flags);
    }
  }
}

function overlappingBranches(node: Node, flags: string): boolean {
  if (node.type !== 'alt') return false;
  const firsts = node.branches.map((b) => first(b));
  for (let i = 0; i < firsts.length; i++) {
    for (let j = i + 1; j < firsts.length; j++) {
      if (overlaps(firsts[i] as string[], firsts[j] as string[], flags)) return true;
    }
  }
  return false;
}

function risk(node: Node, flags: string): string | undefined {
  if (node.type === 'repeat' && node.max > 1 && first(node.body).length > 0) {
    if (ambiguousSplit(node.body, first(node.body), flags)) return 'a quantifier inside a repeated group can match the same text as its neighbours';
    if (some(node.body, (n) => overlappingBranches(n, flags))) return 'a repeated alternation whose branches overlap';
  }
  if (node.type === 'seq') {
    // Two unbounded quantifiers in a row where the first can end with what the second starts
    // with: the text between them splits many ways (polynomial backtracking).
    let previous: readonly string[] | undefined;
    for (const item of node.items) {
      if (item.type === 'repeat' && item.max === Infinity && first(item.body).length > 0) {
        if (previous !== undefined && overlaps(previous, first(item.body), flags)) return 'adjacent quantifiers can match the same text';
        previous = last(item.body);
      } else if (!nullable(item)) previous = undefined;
    }
  }
  for (const child of children(node)) {
    const found = risk(child, flags);
    if (found !== undefined) return found;
  }
  return undefined;
}

const verdicts = new Map<string, string | undefined>();

/** A short reason when `source` risks catastrophic backtracking, else undefined. */
export function backtrackingRisk(source: string, flags: string): string | undefined {
  const key = `${flags}/${source}`;
  if (verdicts.has(key)) return verdicts.get(key);
  const verdict = risk(new Parser(source, /[uv]/.test(flags)).parse(), flags);
  if (verdicts.size > 10_000) verdicts.clear();
  verdicts.set(key, verdict);
  return verdict;
}
