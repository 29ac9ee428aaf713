// A spec-side evaluator of SNS's documented filter-policy semantics, strict where the documentation
// leaves room (a stricter evaluator makes "the policy passes" a stronger claim):
// - MessageAttributes: a message with no attributes passes no policy; `exists: false` needs some other
//   attribute; strings match String attributes, numbers (`numeric`, numeric anything-but) Number ones.
// - MessageBody: the body must be a JSON object; an array value matches when one item does;
//   `exists: true` needs a non-null, non-empty value; strings never match numbers and vice versa.
// - `$or` at the top: one branch (with the other top-level keys) must pass.
import type { AttributeValue } from '../../src/aws/attribute-size.js';

export type Scope = 'MessageAttributes' | 'MessageBody';
type Policy = Record<string, unknown>;

export interface SnsMessage {
  body: string;
  attributes?: Record<string, AttributeValue>;
}

export function snsPasses(policy: Policy, scope: Scope, message: SnsMessage): boolean {
  if (Object.keys(policy).length === 0) return true;
  if (scope === 'MessageAttributes') {
    const attrs = message.attributes ?? {};
    if (Object.keys(attrs).length === 0) return false;
    return passes(policy, (path, cond) => attributeMatches(attrs[path.join('.')], cond), true);
  }
  let body: unknown;
  try {
    body = JSON.parse(message.body);
  } catch {
    return false;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  return passes(policy, (path, cond) => bodyMatches(valueAt(body, path), cond), false);
}

type Leaf = (path: readonly string[], cond: unknown) => boolean;

function passes(policy: Policy, leaf: Leaf, flat: boolean): boolean {
  const { $or, ...rest } = policy;
  if (!keysPass(rest, [], leaf, flat)) return false;
  if ($or === undefined) return true;
  return ($or as Policy[]).some((branch) => keysPass(branch, [], leaf, flat));
}

function keysPass(policy: Policy, at: readonly string[], leaf: Leaf, flat: boolean): boolean {
  for (const [key, value] of Object.entries(policy)) {
    const path = [...at, key];
    if (Array.isArray(value)) {
      if (!value.some((cond) => leaf(path, cond))) return false;
    } else if (!flat && typeof value === 'object' && value !== null) {
      if (!keysPass(value as Policy, path, leaf, flat)) return false;
    } else throw new Error(`malformed policy at ${path.join('.')}`);
  }
  return true;
}

function numericHolds(n: number, ops: readonly (string | number)[]): boolean {
  for (let i = 0; i < ops.length; i += 2) {
    const op = ops[i];
    const v = ops[i + 1] as number;
    const ok = op === '=' ? n === v : op === '>' ? n > v : op === '>=' ? n >= v : op === '<' ? n < v : op === '<=' ? n <= v : false;
    if (!ok) return false;
  }
  return true;
}

function attributeMatches(attr: AttributeValue | undefined, cond: unknown): boolean {
  if (typeof cond === 'object' && cond !== null && 'exists' in cond) return (cond as { exists: boolean }).exists === (attr !== undefined);
  if (attr === undefined) return false;
  const isNumber = attr.DataType === 'Number' || attr.DataType.startsWith('Number.');
  const text = attr.StringValue;
  if (text === undefined) return false; // Binary attributes are ignored
  if (typeof cond === 'string') return !isNumber && text === cond;
  if (typeof cond !== 'object' || cond === null) return false;
  const c = cond as Record<string, unknown>;
  if ('prefix' in c) return !isNumber && text.startsWith(c.prefix as string);
  if ('numeric' in c) return isNumber && numericHolds(Number(text), c.numeric as (string | number)[]);
  if ('anything-but' in c) {
    const list = c['anything-but'] as unknown[];
    if (list.every((x) => typeof x === 'number')) return isNumber && !list.includes(Number(text));
    return !isNumber && !list.includes(text);
  }
  return false;
}

function valueAt(body: unknown, path: readonly string[]): unknown {
  let node = body;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function bodyMatches(value: unknown, cond: unknown): boolean {
  if (typeof cond === 'object' && cond !== null && 'exists' in cond) {
    const present = value !== undefined && value !== null && value !== '';
    return (cond as { exists: boolean }).exists ? present : value === undefined;
  }
  if (Array.isArray(value)) return value.some((item) => !Array.isArray(item) && bodyMatches(item, cond));
  if (typeof cond === 'string' || typeof cond === 'boolean') return value === cond;
  if (typeof cond !== 'object' || cond === null) return false;
  const c = cond as Record<string, unknown>;
  if ('prefix' in c) return typeof value === 'string' && value.startsWith(c.prefix as string);
  if ('numeric' in c) return typeof value === 'number' && numericHolds(value, c.numeric as (string | number)[]);
  if ('anything-but' in c) {
    const list = c['anything-but'] as unknown[];
    if (list.every((x) => typeof x === 'number')) return typeof value === 'number' && !list.includes(value);
    return typeof value === 'string' && !list.includes(value);
  }
  return false;
}
