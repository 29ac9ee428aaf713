/** Short human descriptions of patterns and values for error messages and `explain`. */
import { PatternFunction } from './pattern.js';

const MAX_DESCRIPTION = 200;

/** The kind of a value as error messages name it: `null`, `array`, `Date`, `Map`, `object`... */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) return 'object';
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name !== '' ? name : 'object';
  }
  return typeof value;
}

function render(value: unknown, depth: number): string {
  if (depth > 4) return '...';
  if (value instanceof PatternFunction) {
    return `${value.operator}(${value.args.map((a) => render(a, depth + 1)).join(', ')})`;
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return `${value}n`;
    case 'function':
      return value.name ? `predicate ${value.name}` : 'predicate';
    case 'symbol':
      return value.toString();
    case 'undefined':
      return 'undefined';
    case 'object':
      if (value === null) return 'null';
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
      if (value instanceof RegExp) return String(value);
      if (Array.isArray(value)) return `[${value.map((v: unknown) => render(v, depth + 1)).join(', ')}]`;
      if (typeName(value) !== 'object') return typeName(value);
      return `{ ${Object.keys(value)
        .map((k) => `${k}: ${render((value as Record<string, unknown>)[k], depth + 1)}`)
        .join(', ')} }`;
    default:
      return String(value);
  }
}

export function describe(value: unknown): string {
  const text = render(value, 0);
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 3)}...` : text;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `parent.key`, or `parent["odd key"]` when the key is not an identifier. */
export function childPath(parent: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent === '' ? key : `${parent}.${key}`;
}
