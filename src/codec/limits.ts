/** The largest body SQS accepts (1 MiB, counted in UTF-8 bytes); larger bodies are `invalid`. */
export const MAX_BODY_BYTES = 1_048_576;

/**
 * The deepest nesting of objects and arrays a payload may have (the top-level object is depth 1).
 * Deeper bodies are `invalid`: matchers and user code walk payloads recursively, and a hostile
 * body must not be able to exhaust their stack.
 */
export const MAX_DEPTH = 100;

/** An error message when the body is over the size limit, else undefined. */
export function checkBodySize(body: string, max = MAX_BODY_BYTES): string | undefined {
  if (body.length > max) return `body is ${body.length} characters, over the ${max}-byte limit`;
  if (body.length * 3 <= max) return undefined;
  const bytes = Buffer.byteLength(body, 'utf8');
  return bytes > max ? `body is ${bytes} bytes, over the ${max}-byte limit` : undefined;
}
