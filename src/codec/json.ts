import type { DataObject } from '../protocol/types.js';

/** True for the four JSON whitespace characters. */
function isJsonSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** The first character after leading JSON whitespace, as a char code (NaN when none). */
export function firstSignificantChar(text: string): number {
  let i = 0;
  while (i < text.length && isJsonSpace(text.charCodeAt(i))) i++;
  return text.charCodeAt(i);
}

/**
 * Parses text that should hold a JSON object. Returns undefined when it does not start with `{`
 * or is not valid JSON; a body is read only once. V8's JSON.parse is not recursive, so deep
 * nesting cannot overflow the stack here (see `exceedsDepth` for what comes after).
 * JSON.parse keeps a `__proto__` key as an own data property, which is safe as long as nobody
 * copies the object with plain assignment.
 */
export function parseJsonObject(text: string): DataObject | undefined {
  if (firstSignificantChar(text) !== 0x7b /* { */) return undefined;
  try {
    return JSON.parse(text) as DataObject;
  } catch {
    return undefined;
  }
}

/** True when the text is a JSON document that is not an object (a number, string, array, true...). */
export function isJsonNonObject(text: string): boolean {
  const first = firstSignificantChar(text);
  // Only texts that can start a JSON value other than an object are worth a parse attempt.
  const candidate =
    first === 0x5b /* [ */ || first === 0x22 /* " */ || first === 0x2d /* - */ || (first >= 0x30 && first <= 0x39) ||
    first === 0x74 /* t */ || first === 0x66 /* f */ || first === 0x6e; /* n */
  if (!candidate) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** True when `value` holds objects or arrays more than `budget` levels below it. */
function nestsDeeper(value: object, budget: number): boolean {
  if (budget === 0) return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      if (typeof child === 'object' && child !== null && nestsDeeper(child, budget - 1)) return true;
    }
  } else {
    for (const key in value) {
      const child: unknown = (value as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null && nestsDeeper(child, budget - 1)) return true;
    }
  }
  return false;
}

/**
 * True when objects and arrays nest deeper than `limit` (the root counts as 1). The recursion
 * stops at `limit` levels whatever the input, so a hostile 100k-deep document (or a cycle)
 * cannot exhaust the stack; plain recursion measured faster than an explicit stack here.
 */
export function exceedsDepth(root: unknown, limit: number): boolean {
  return typeof root === 'object' && root !== null && nestsDeeper(root, limit);
}
