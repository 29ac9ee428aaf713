/**
 * A conservative check for regular expressions at risk of catastrophic backtracking. Patterns run
 * against hostile message bodies, so at compile time we refuse the shapes that make a backtracking
 * engine explode:
 * - a repeated group that itself holds a variable-length quantifier: `(a+)+`, `(\w+\s?)*`, `(a{1,3})*`;
 * - a repeated alternation whose branches can start with the same character: `(a|a)*`, `(\w|\d)+`;
 * - two unbounded quantifiers in a row that can match the same characters: `\d+\d*`, `.*.*`.
 * It is a syntactic approximation: it may refuse a harmless expression (use a predicate function
 * then), but it catches the textbook exponential and polynomial cases.
 */

type Node =
  | { type: 'atom'; cls: string }
  | { type: 'zero'; body?: Node }
  | { type: 'seq'; items: Node[] }
  | { type: 'alt'; branches: Node[] }
  | { type: 'repeat'; body: Node; min: number; max: number };

const ANY = '[^]';

class Parser {
  private pos = 0;
  constructor(
    private readonly src: string,
    private readonly unicode: boolean,
  ) {}

  parse(): Node {
    return this.alternation();
  }

  private peek(): string | undefined {
    return this.src[this.pos];
  }

  private alternation(): Node {
    const branches = [this.sequence()];
    while (this.peek() === '|') {
      this.pos++;
      branches.push(this.sequence());
    }
    return branches.length === 1 ? (branches[0] as Node) : { type: 'alt', branches };
  }

  private sequence(): Node {
    const items: Node[] = [];
    for (let c = this.peek(); c !== undefined && c !== '|' && c !== ')'; c = this.peek()) {
      items.push(this.quantified(this.atom()));
    }
    return { type: 'seq', items };
  }

  private quantified(atom: Node): Node {
    let min: number;
    let max: number;
    const c = this.peek();
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.pos, this.pos + 32));
      if (m === null) return atom; // a literal brace
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.pos += m[0].length - 1;
    } else return atom;
    this.pos++;
    if (this.peek() === '?') this.pos++; // laziness does not change the worst case
    return this.quantified({ type: 'repeat', body: atom, min, max });
  }

  private atom(): Node {
    const start = this.pos;
    const c = this.src[this.pos++] as string;
    switch (c) {
      case '^':
      case '$':
        return { type: 'zero' };
      case '[':
        if (this.peek() === '^') this.pos++;
        while (this.pos < this.src.length && this.src[this.pos] !== ']') this.pos += this.src[this.pos] === '\\' ? 2 : 1;
        this.pos++;
        return { type: 'atom', cls: this.src.slice(start, this.pos) };
      case '(':
        return this.group();
      case '\\':
        return this.escape(start);
      default:
        return { type: 'atom', cls: c };
    }
  }

  private group(): Node {
    let lookaround = false;
    if (this.src.startsWith('?:', this.pos)) this.pos += 2;
    else if (/^\?<?[=!]/.test(this.src.slice(this.pos, this.pos + 3))) {
      lookaround = true;
      this.pos += this.src[this.pos + 1] === '<' ? 3 : 2;
    } else if (this.src.startsWith('?<', this.pos)) this.pos = this.src.indexOf('>', this.pos) + 1;
    const body = this.alternation();
    this.pos++; // ')'
    return lookaround ? { type: 'zero', body } : body;
  }

  private escape(start: number): Node {
    const c = this.src[this.pos++] ?? '';
    if (c === 'b' || c === 'B') return { type: 'zero' };
    if (/[1-9]/.test(c) || (c === 'k' && this.peek() === '<')) {
      // A backreference matches text of unknown length: count it as a variable-length repeat.
      if (c === 'k') this.pos = this.src.indexOf('>', this.pos) + 1;
      else while (/\d/.test(this.peek() ?? '')) this.pos++;
      return { type: 'repeat', body: { type: 'atom', cls: ANY }, min: 0, max: Infinity };
    }
    if ((c === 'p' || c === 'P') && this.unicode && this.peek() === '{') this.pos = this.src.indexOf('}', this.pos) + 1;
    else if (c === 'x') this.pos += 2;
    else if (c === 'u') this.pos += this.peek() === '{' ? this.src.indexOf('}', this.pos) + 1 - this.pos : 4;
    else if (c === 'c') this.pos++;
    return { type: 'atom', cls: this.src.slice(start, this.pos) };
  }
}

function nullable(node: Node): boolean {
  switch (node.type) {
    case 'atom':
      return false;
    case 'zero':
      return true;
    case 'seq':
      return node.items.every(nullable);
    case 'alt':
      return node.branches.some(nullable);
    case 'repeat':
      return node.min === 0 || nullable(node.body);
  }
}

/** The character classes a node can start with. */
function first(node: Node, out: string[] = []): string[] {
  switch (node.type) {
    case 'atom':
      out.push(node.cls);
      break;
    case 'zero':
      break;
    case 'seq':
      for (const item of node.items) {
        first(item, out);
        if (!nullable(item)) break;
      }
      break;
    case 'alt':
      for (const b of node.branches) first(b, out);
      break;
    case 'repeat':
      first(node.body, out);
  }
  return out;
}

/** The character classes a node can end with. */
function last(node: Node, out: string[] = []): string[] {
  switch (node.type) {
    case 'atom':
      out.push(node.cls);
      break;
    case 'zero':
      break;
    case 'seq':
      for (let i = node.items.length - 1; i >= 0; i--) {
        const item = node.items[i] as Node;
        last(item, out);
        if (!nullable(item)) break;
      }
      break;
    case 'alt':
      for (const b of node.branches) last(b, out);
      break;
    case 'repeat':
      last(node.body, out);
  }
  return out;
}

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

function children(node: Node): Node[] {
  switch (node.type) {
    case 'atom':
      return [];
    case 'zero':
      return node.body ? [node.body] : [];
    case 'seq':
      return node.items;
    case 'alt':
      return node.branches;
    case 'repeat':
      return [node.body];
  }
}

function some(node: Node, predicate: (n: Node) => boolean): boolean {
  return predicate(node) || children(node).some((c) => some(c, predicate));
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
