// Strict base64 (RFC 4648 standard alphabet, padded): no whitespace, no URL-safe characters,
// length a multiple of 4. A plain character-class loop, so a 1 MiB body cannot make it backtrack.
const BASE64_CHARS = /^[A-Za-z0-9+/]+={0,2}$/;

/** True when the whole text is strict, non-empty base64. */
export function isStrictBase64(text: string): boolean {
  return text.length > 0 && text.length % 4 === 0 && BASE64_CHARS.test(text);
}

/** Decodes strict base64 into a fresh Uint8Array (not a view into Buffer's shared pool). */
export function decodeBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Standard padded base64 of the bytes. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
