// SQS (and SNS) accept only XML 1.0 characters in a message body and in String attribute values:
// #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF (SendMessage and
// MessageAttributeValue API references); anything else is refused with InvalidMessageContents.

/** One character outside that set; with the `u` flag a lone surrogate counts as one. */
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const FORBIDDEN_ALL = new RegExp(FORBIDDEN.source, 'gu');

/**
 * The only characters SQS refuses that JSON.stringify leaves raw: it escapes every control character
 * and (since ES2019) every lone surrogate itself, so its output needs only this cheap test.
 */
const RAW_IN_JSON = /[\uFFFE\uFFFF]/;
const RAW_IN_JSON_ALL = /[\uFFFE\uFFFF]/g;

/** `\uXXXX` for one UTF-16 code unit (every forbidden character is a single one). */
function unicodeEscape(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Makes JSON.stringify output acceptable to SQS: U+FFFE and U+FFFF become `\ufffe` / `\uffff`
 * escapes, which can only stand inside JSON strings there and parse back to the same characters.
 */
export function escapeJsonForSqs(json: string): string {
  return RAW_IN_JSON.test(json) ? json.replace(RAW_IN_JSON_ALL, unicodeEscape) : json;
}

/** Text SQS takes as an attribute value: each forbidden character (lone surrogates too) as a visible `\uXXXX`. */
export function escapeForSqsText(text: string): string {
  return FORBIDDEN.test(text) ? text.replace(FORBIDDEN_ALL, unicodeEscape) : text;
}

/**
 * `text` cut to at most `maxBytes` UTF-8 bytes, `marker` included when it is cut; never between the
 * two halves of a surrogate pair. '' when not even the marker fits.
 */
export function cutToBytes(text: string, maxBytes: number, marker = '...'): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const room = maxBytes - Buffer.byteLength(marker, 'utf8');
  if (room < 0) return '';
  let bytes = 0;
  let end = 0;
  while (end < text.length) {
    const code = text.codePointAt(end) ?? 0;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes + size > room) break;
    bytes += size;
    end += code > 0xffff ? 2 : 1;
  }
  return text.slice(0, end) + marker;
}
