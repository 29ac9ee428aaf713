/**
 * A small reader of JavaScript regular-expression syntax, just enough for the backtracking check:
 * sequences, alternations, groups, quantifiers and single-character classes (literals, escapes,
 * `.`, `[...]`). Zero-width parts (anchors, lookarounds, `\b`) match no characters. The source has
 * already been accepted by the RegExp constructor, so the reader can be lenient.
 */

export type Node =
  | { type: 'atom'; cls: string }
  | { type: 'zero'; body?: Node }
  | { type: 'seq'; items: Node[] }
  | { type: 'alt'; branches: Node[] }
  | { type: 'repeat'; body: Node; min: number; max: number };

const ANY = '[^]';

export class Parser {
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

export function nullable(node: Node): boolean {
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
export function first(node: Node, out: string[] = []): string[] {
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
export function last(node: Node, out: string[] = []): string[] {
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

export function children(node: Node): Node[] {
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

export function some(node: Node, predicate: (n: Node) => boolean): boolean {
  return predicate(node) || children(node).some((c) => some(c, predicate));
}
