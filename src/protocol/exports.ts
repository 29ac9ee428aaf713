// Public names of the MEGA protocol layer.
export type { DataObject, MegaEvent, MegaObject, MegaPayload } from './types.js';
export { SqsMegaError, MegaSchemaError } from './errors.js';
export { PayloadBuilder } from './builder.js';
export type { EventInput, ObjectInput } from './builder.js';
export { parseMegaPayload, isMegaTagged } from './schema.js';
export { parseTimestamp } from './timestamp.js';
export { toWireObject } from './wire.js';
