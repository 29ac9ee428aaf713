import type { DataObject } from './types.js';

/** A plain object: `{}`-like or null-prototype, never an array, Date, Buffer or class instance. */
export function isPlainObject(value: unknown): value is DataObject {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
