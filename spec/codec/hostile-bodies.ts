// Builders for hostile message bodies, shared by the codec specs.

/** Base64 of a BSON document of `depth` nested documents, each under key "a" ({a:{a:{...{}}}}), built in one pass. */
export function deepBsonBase64(depth: number): string {
  const wrappers = depth - 1;
  const bytes = Buffer.alloc(8 * wrappers + 5);
  let pos = 0;
  for (let level = 0; level < wrappers; level++) {
    bytes.writeInt32LE(8 * (wrappers - level) + 5, pos);
    bytes[pos + 4] = 0x03; // embedded document
    bytes[pos + 5] = 0x61; // "a"
    bytes[pos + 6] = 0x00;
    pos += 7;
  }
  bytes.writeInt32LE(5, pos); // the innermost {} and then every document's closing zero
  return bytes.toString('base64');
}

/** A JSON object nesting `depth` objects: {"a":{"a":...{}}}. */
export function deepJson(depth: number): string {
  return '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
}

/** A JSON array nesting `depth` arrays inside an object: {"a":[[[...]]]}. */
export function deepJsonArrays(depth: number): string {
  return '{"a":' + '['.repeat(depth - 1) + ']'.repeat(depth - 1) + '}';
}
