/**
 * Finding candidate entries (e.g. subscribers) for a document without testing every one of them.
 *
 * Each entry may declare constraints: "the value at `path` must equal one of these constants".
 * They come from the constant parts of its patterns ({@link constraintsOf}): literals,
 * `eq(literal)`, `oneOf(literals...)`, arrays of literals, under nested object patterns and `and`.
 * An entry is filed under one of its constraints (the one with fewest constants); entries without
 * any go to an always-check list. A lookup walks the document along the filed paths and returns
 * the entries filed under the keys found there, plus the always-check list, in insertion order.
 *
 * The index only narrows: candidates are a superset of the entries whose full predicate can match,
 * so the caller still runs each candidate's predicate. It must never miss one, hence:
 * - keys are coarse: any string that reads as a number shares the key of that number as a float
 *   (`eq(42)` matches `"42"` and `"42.0"`; big or long decimals collapse onto one float, which only
 *   costs a few extra candidates);
 * - wherever the document holds something that is not a primitive or a plain object (an array,
 *   a Date, a class instance) every entry filed at or under that point is a candidate.
 */
import { PatternFunction } from './pattern.js';

export interface Constraint {
  /** Keys from the document's root. */
  readonly path: readonly string[];
  /** Index keys of the allowed constants ({@link indexKey}); at least one. */
  readonly keys: readonly IndexKey[];
}

/**
 * An index key: a non-numeric string as itself, anything numeric (numbers, bigints, strings that
 * read as a number) as a float, a boolean as itself. A Map tells them apart by type, so `"42"` and
 * `42` share the key 42 while `"true"` and `true` stay distinct.
 */
export type IndexKey = string | number | boolean;

/** The index key of a primitive; values with the same key may be equal under the pattern semantics. */
export function indexKey(value: string | number | bigint | boolean): IndexKey {
  switch (typeof value) {
    case 'string': {
      const n = Number(value);
      return Number.isNaN(n) ? value : n;
    }
    case 'bigint':
      return Number(value);
    default:
      return value;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The keys of the constants a scalar pattern may equal, or undefined when it is not that simple. */
function constantKeys(pattern: unknown): IndexKey[] | undefined {
  switch (typeof pattern) {
    case 'string':
    case 'number':
    case 'bigint':
    case 'boolean':
      return [indexKey(pattern)];
  }
  if (Array.isArray(pattern)) {
    // Against a scalar, a bare array means "one of the items"; against an array the document
    // side falls back to every entry, so the items' keys are a safe filter.
    return pattern.length === 0 ? undefined : unionOf(pattern);
  }
  if (!(pattern instanceof PatternFunction)) return undefined;
  switch (pattern.operator) {
    case 'eq':
      return constantKeys(pattern.args[0]);
    case 'oneOf':
    case 'or':
      return unionOf(pattern.args);
    case 'and': {
      let best: IndexKey[] | undefined;
      for (const arg of pattern.args) {
        const keys = constantKeys(arg);
        if (keys !== undefined && (best === undefined || keys.length < best.length)) best = keys;
      }
      return best;
    }
    default:
      return undefined;
  }
}

function unionOf(patterns: readonly unknown[]): IndexKey[] | undefined {
  const keys = new Set<IndexKey>();
  for (const p of patterns) {
    const k = constantKeys(p);
    if (k === undefined) return undefined;
    for (const key of k) keys.add(key);
  }
  return [...keys];
}

/**
 * The constraints a pattern puts on the document: for a pattern applied to the value at `path`,
 * every (path, constants) pair that any matching document must satisfy. Unknown shapes give none.
 */
export function constraintsOf(pattern: unknown, path: readonly string[] = []): Constraint[] {
  const out: Constraint[] = [];
  collect(pattern, path, out);
  return out;
}

function collect(pattern: unknown, path: readonly string[], out: Constraint[]): void {
  const keys = constantKeys(pattern);
  if (keys !== undefined) {
    out.push({ path, keys });
  } else if (isPlainObject(pattern)) {
    for (const key of Object.keys(pattern)) collect(pattern[key], [...path, key], out);
  } else if (pattern instanceof PatternFunction && (pattern.operator === 'and' || pattern.operator === 'eq')) {
    for (const arg of pattern.args) collect(arg, path, out);
  }
}

interface Entry<T> {
  readonly item: T;
  /** What to hand out when the document holds exactly the (string or boolean) constant it is filed under. */
  readonly exact: T;
  readonly seq: number;
}

class Node<T> {
  readonly children = new Map<string, Node<T>>();
  /** The same children, for iterating without an iterator. */
  readonly childList: Array<readonly [string, Node<T>]> = [];
  readonly byKey = new Map<IndexKey, Entry<T>[]>();
  /** Whether any key is numeric: only then must a string from the document be read as a number. */
  numeric = false;
  /** Every entry filed at this node, once each. */
  readonly filed: Entry<T>[] = [];
}

/** Entry lists found by a lookup; `exact[i]` says list i was found by an exact string or boolean key. */
interface Found<T> {
  readonly lists: Entry<T>[][];
  readonly exact: boolean[];
}

export class CandidateIndex<T> {
  readonly #root = new Node<T>();
  readonly #always: Entry<T>[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /**
   * Adds an entry after all previous ones; `constraints` are what it requires of documents.
   * `narrow`, when given, is called with the constraint the entry is filed under and returns the
   * item to hand out when a document's value there is exactly one of its string or boolean
   * constants (typically the item minus the check that this makes certain).
   */
  add(item: T, constraints: readonly Constraint[] = [], narrow?: (filedUnder: Constraint) => T): void {
    const best = this.#choose(constraints);
    const seq = this.#size++;
    if (best === undefined) {
      this.#always.push({ item, exact: item, seq });
      return;
    }
    const entry = { item, exact: narrow === undefined ? item : narrow(best), seq };
    let node = this.#root;
    for (const key of best.path) {
      let child = node.children.get(key);
      if (child === undefined) {
        child = new Node<T>();
        node.children.set(key, child);
        node.childList.push([key, child]);
      }
      node = child;
    }
    node.filed.push(entry);
    for (const key of new Set(best.keys)) {
      if (typeof key === 'number') node.numeric = true;
      const bucket = node.byKey.get(key);
      if (bucket === undefined) node.byKey.set(key, [entry]);
      else bucket.push(entry);
    }
  }

  /**
   * Files an entry under its least crowded constraint: the one whose buckets already hold the
   * fewest entries (counting one per constant), the first on ties. So `name = 'x'` wins over
   * `domain = 'shop'` once a few subscribers share that domain, whatever order they declare.
   */
  #choose(constraints: readonly Constraint[]): Constraint | undefined {
    let best: Constraint | undefined;
    let bestCost = Infinity;
    for (const c of constraints) {
      if (c.keys.length === 0) continue;
      let node: Node<T> | undefined = this.#root;
      for (const key of c.path) node = node?.children.get(key);
      let cost = c.keys.length;
      if (node !== undefined) for (const key of c.keys) cost += node.byKey.get(key)?.length ?? 0;
      if (cost < bestCost) {
        best = c;
        bestCost = cost;
      }
    }
    return best;
  }

  /** Every entry that may match `doc` (a superset of those that do), in insertion order. */
  candidates(doc: unknown): T[] {
    const found: Found<T> = { lists: [], exact: [] };
    if (this.#always.length > 0) {
      found.lists.push(this.#always);
      found.exact.push(false);
    }
    visit(this.#root, doc, found);
    const { lists, exact } = found;
    if (lists.length === 1) return resolve(lists[0] as Entry<T>[], exact[0] === true);
    if (lists.length === 0) return [];
    return merge(lists, exact);
  }

  /** The entries for which `test` holds, found through the index, in insertion order. */
  match(doc: unknown, test: (item: T) => boolean): T[] {
    return this.candidates(doc).filter(test);
  }
}

function resolve<T>(entries: readonly Entry<T>[], exact: boolean): T[] {
  const out = new Array<T>(entries.length);
  for (let i = 0; i < entries.length; i++) out[i] = exact ? (entries[i] as Entry<T>).exact : (entries[i] as Entry<T>).item;
  return out;
}

/** Merges lists that are each in insertion order (no entry is in two of them). */
function merge<T>(lists: readonly Entry<T>[][], exact: readonly boolean[]): T[] {
  const heads = new Array<number>(lists.length).fill(0);
  const out: T[] = [];
  for (;;) {
    let pick = -1;
    let seq = Infinity;
    for (let l = 0; l < lists.length; l++) {
      const e = (lists[l] as Entry<T>[])[heads[l] as number];
      if (e !== undefined && e.seq < seq) {
        seq = e.seq;
        pick = l;
      }
    }
    if (pick < 0) return out;
    const e = (lists[pick] as Entry<T>[])[heads[pick] as number] as Entry<T>;
    heads[pick] = (heads[pick] as number) + 1;
    out.push(exact[pick] === true ? e.exact : e.item);
  }
}

function visit<T>(node: Node<T>, value: unknown, found: Found<T>): void {
  if (value === undefined) return; // a named key the document lacks never matches
  if (node.filed.length > 0) {
    const t = typeof value;
    if (t === 'string' || t === 'number' || t === 'bigint' || t === 'boolean') {
      // A numeric string can only equal numeric keys; without any, the string is its own key.
      const key = t === 'string' && !node.numeric ? (value as string) : indexKey(value as string | number | bigint | boolean);
      const bucket = node.byKey.get(key);
      if (bucket !== undefined) {
        found.lists.push(bucket);
        found.exact.push(typeof key !== 'number');
      }
    } else if (value !== null) {
      // Arrays, Dates, objects: the constants cannot rule anything out.
      found.lists.push(node.filed);
      found.exact.push(false);
    }
  }
  if (node.children.size === 0) return;
  if (isPlainObject(value)) {
    const list = node.childList;
    if (list.length <= 8) {
      for (let i = 0; i < list.length; i++) {
        const [key, child] = list[i] as readonly [string, Node<T>];
        if (Object.hasOwn(value, key)) visit(child, value[key], found);
      }
    } else {
      // Every own key, enumerable or not: the pattern counts own properties, not enumerable ones.
      const keys = Object.getOwnPropertyNames(value);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i] as string;
        const child = node.children.get(key);
        if (child !== undefined) visit(child, value[key], found);
      }
    }
  } else if (typeof value === 'object' && value !== null) {
    for (const child of node.children.values()) everything(child, found);
  }
}

function everything<T>(node: Node<T>, found: Found<T>): void {
  if (node.filed.length > 0) {
    found.lists.push(node.filed);
    found.exact.push(false);
  }
  for (const child of node.children.values()) everything(child, found);
}
