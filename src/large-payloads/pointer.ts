// The AWS Extended Client pointer format (payload-offloading-java-common-lib-for-aws, the SQS/SNS
// Java extended clients, amazon-sqs-python-extended-client-lib); see docs/large-payloads.md.

/** The pointer class name every current extended client writes. */
export const POINTER_CLASS = 'software.amazon.payloadoffloading.PayloadS3Pointer';
/** The class name older Java SQS extended clients wrote; still read. */
export const LEGACY_POINTER_CLASS = 'com.amazon.sqs.javamessaging.MessageS3Pointer';
/** The message attribute (Number) holding the original body's size in UTF-8 bytes. */
export const PAYLOAD_SIZE_ATTRIBUTE = 'ExtendedPayloadSize';
/** Its legacy name, still written by the Java SQS extended client by default; still read. */
export const LEGACY_PAYLOAD_SIZE_ATTRIBUTE = 'SQSLargePayloadSize';

export interface S3Pointer {
  bucket: string;
  key: string;
}

/**
 * The pointer body, byte for byte as the Java libraries write it (Jackson with default typing:
 * `[className, {fields}]`, compact, fields in declaration order).
 */
export function formatPointer(pointer: S3Pointer): string {
  return JSON.stringify([POINTER_CLASS, { s3BucketName: pointer.bucket, s3Key: pointer.key }]);
}

/** What a body is: not a pointer at all, a pointer, or something that claims to be one but is malformed. */
export type PointerReading = { kind: 'none' } | { kind: 'pointer'; pointer: S3Pointer } | { kind: 'malformed'; reason: string };

const NONE: PointerReading = { kind: 'none' };

/**
 * Reads a body as a pointer. A body is a pointer when it is a JSON array naming one of the two pointer
 * classes, or when the message carries the payload-size attribute (as the extended clients decide);
 * either way a body that does not hold a bucket and a key is malformed. Whitespace does not matter
 * (the Python client writes `", "` separators).
 */
export function readPointer(body: string, hasSizeAttribute: boolean): PointerReading {
  const text = body.trimStart();
  if (!text.startsWith('[')) return hasSizeAttribute ? malformed('the body is not a JSON array') : NONE;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return hasSizeAttribute || mentionsPointerClass(text) ? malformed('the body is not valid JSON') : NONE;
  }
  if (!Array.isArray(value)) return NONE;
  const [className, fields] = value as unknown[];
  const known = className === POINTER_CLASS || className === LEGACY_POINTER_CLASS;
  if (!known) return hasSizeAttribute ? malformed(`the body does not name ${POINTER_CLASS}`) : NONE;
  if (value.length !== 2 || fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
    return malformed('expected [className, { s3BucketName, s3Key }]');
  }
  const { s3BucketName, s3Key } = fields as Record<string, unknown>;
  if (typeof s3BucketName !== 'string' || s3BucketName === '') return malformed('s3BucketName is missing or empty');
  if (typeof s3Key !== 'string' || s3Key === '') return malformed(`s3Key is missing or empty (bucket ${s3BucketName})`);
  return { kind: 'pointer', pointer: { bucket: s3BucketName, key: s3Key } };
}

function mentionsPointerClass(text: string): boolean {
  return text.includes(POINTER_CLASS) || text.includes(LEGACY_POINTER_CLASS);
}

function malformed(reason: string): PointerReading {
  return { kind: 'malformed', reason: `malformed large-payload pointer: ${reason}` };
}

/** The declared size from either attribute name, when present and a whole number. */
export function declaredSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const size = Number(value);
  return Number.isSafeInteger(size) && size >= 0 ? size : undefined;
}
