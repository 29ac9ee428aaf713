// Public names of the codec.
export { decodeBody, decodeObject } from './body.js';
export type { DecodeOptions } from './body.js';
export type { Decoded, DecodedBase, DecodedKind, Encoding, SnsEnvelope } from './decoded.js';
export { encodePayload } from './encode.js';
export type { EncodeOptions } from './encode.js';
export { DecodeError, EncodeError } from './errors.js';
export { MAX_BODY_BYTES, MAX_DEPTH } from './limits.js';
