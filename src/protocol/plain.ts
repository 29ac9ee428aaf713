import type { DataObject } from './types.js';

/** A plain object: `{}`-like or null-prototype, never an array, Date, Buffer or class instance. */
export function isPlainObject(value: unknown): value is DataObject {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Sets `target[name]` as an own data property whatever the name: a plain assignment of a hostile
 * `__proto__` key would replace the prototype instead (and a copy would lose the key).
 */
export function defineOwn<T>(target: Record<string, T>, name: string, value: T): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}
