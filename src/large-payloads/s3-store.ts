import type { S3Client } from '@aws-sdk/client-s3';
import { resolveClientConfig, type AwsCredentials } from '../aws/clients.js';
import { LargePayloadConfigError, LargePayloadError } from './errors.js';
import type { S3Pointer } from './pointer.js';

/** An `S3Client` from `@aws-sdk/client-s3`, typed structurally so the public types need no import of it. */
export interface S3ClientLike {
  send(command: never, options?: never): Promise<unknown>;
}

type S3Module = typeof import('@aws-sdk/client-s3');
let loading: Promise<S3Module> | undefined;

/** Loads @aws-sdk/client-s3 on first use only: users who never offload need not install it. */
function loadS3(): Promise<S3Module> {
  loading ??= import('@aws-sdk/client-s3').catch((error: unknown) => {
    loading = undefined;
    throw new LargePayloadConfigError(
      'largePayloads needs the optional peer dependency @aws-sdk/client-s3; install it with `npm install @aws-sdk/client-s3`',
      { cause: error },
    );
  });
  return loading;
}

/** Where the S3 client comes from: the one given, or one built on first use from these settings. */
export interface S3ClientSource {
  s3Client?: S3ClientLike | undefined;
  /** Settings for a client built here (a local endpoint is addressed path-style). */
  region?: string | undefined;
  endpoint?: string | undefined;
  credentials?: AwsCredentials | undefined;
}

const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET']);

/** Errors that can pass: throttling (SlowDown, 503), other 5xx, timeouts, dropped connections. */
function isPassingS3Error(error: unknown): boolean {
  if (error === null || typeof error !== 'object') return false;
  const e = error as { name?: unknown; code?: unknown; $retryable?: unknown; $fault?: unknown; $metadata?: { httpStatusCode?: unknown } };
  if (e.$retryable !== undefined && e.$retryable !== null) return true;
  if (e.$fault === 'server') return true;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number') return status >= 500 || status === 429;
  if (e.name === 'SlowDown' || e.name === 'TimeoutError' || e.name === 'AbortError') return true;
  // No HTTP answer at all: the connection failed.
  return typeof e.code === 'string' && NETWORK_CODES.has(e.code);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const status = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata?.httpStatusCode;
  return `${error.name}${typeof status === 'number' ? ` (HTTP ${status})` : ''}: ${error.message}`;
}

const CONTENT_TYPE = 'text/plain; charset=utf-8';
// Bodies past this go up in parts of this size, one at a time: S3 and local emulators cap one
// request's size (fauxqs at 11 MiB), and a part retried costs 8 MiB, not the whole body.
const PART_BYTES = 8 * 1024 * 1024;

async function putInParts(client: S3Client, s3: S3Module, pointer: S3Pointer, bytes: Buffer, signal: AbortSignal | undefined): Promise<void> {
  const { bucket: Bucket, key: Key } = pointer;
  const { UploadId } = await client.send(new s3.CreateMultipartUploadCommand({ Bucket, Key, ContentType: CONTENT_TYPE }), { abortSignal: signal });
  try {
    const parts: { ETag: string | undefined; PartNumber: number }[] = [];
    for (let offset = 0, PartNumber = 1; offset < bytes.length; offset += PART_BYTES, PartNumber++) {
      const Body = bytes.subarray(offset, offset + PART_BYTES);
      const out = await client.send(new s3.UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body, ContentLength: Body.length }), { abortSignal: signal });
      parts.push({ ETag: out.ETag, PartNumber });
    }
    await client.send(new s3.CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }), { abortSignal: signal });
  } catch (error) {
    // Best effort: an upload left open only costs storage until a lifecycle rule aborts it.
    await client.send(new s3.AbortMultipartUploadCommand({ Bucket, Key, UploadId })).catch(() => undefined);
    throw error;
  }
}

/** Puts, gets and deletes payload objects; every failure is a LargePayloadError naming bucket and key. */
export class S3PayloadStore {
  #client: Promise<S3Client> | undefined;

  constructor(private readonly source: S3ClientSource) {}

  private async client(): Promise<{ client: S3Client; s3: S3Module }> {
    const s3 = await loadS3();
    this.#client ??= Promise.resolve(this.source.s3Client ? (this.source.s3Client as unknown as S3Client) : this.build(s3));
    return { client: await this.#client, s3 };
  }

  private build(s3: S3Module): S3Client {
    const { region, endpoint, credentials } = this.source;
    // The same defaults as the SQS/SNS clients (a loopback endpoint gets placeholder credentials).
    const config = resolveClientConfig({ region, endpoint, credentials });
    // Local emulators serve every service on one port and cannot resolve bucket subdomains.
    return new s3.S3Client(endpoint === undefined ? config : { ...config, forcePathStyle: true });
  }

  async put(pointer: S3Pointer, body: string, signal?: AbortSignal): Promise<void> {
    const { client, s3 } = await this.client();
    const bytes = Buffer.from(body, 'utf8');
    const { bucket, key } = pointer;
    try {
      if (bytes.length <= PART_BYTES) {
        await client.send(new s3.PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentLength: bytes.length, ContentType: CONTENT_TYPE }), { abortSignal: signal });
      } else {
        await putInParts(client, s3, pointer, bytes, signal);
      }
    } catch (error) {
      throw new LargePayloadError(`could not store the large payload in s3://${bucket}/${key}: ${describe(error)}`, bucket, key, isPassingS3Error(error), { cause: error });
    }
  }

  /** The object as UTF-8 text; refused before and while downloading when it is over `maxBytes`. */
  async get(pointer: S3Pointer, maxBytes: number, signal?: AbortSignal): Promise<string> {
    const { client, s3 } = await this.client();
    const where = `s3://${pointer.bucket}/${pointer.key}`;
    const tooLarge = (size: number | string) =>
      new LargePayloadError(`the large payload in ${where} is ${size} bytes, over maxPayloadBytes (${maxBytes})`, pointer.bucket, pointer.key, false);
    let out;
    try {
      out = await client.send(new s3.GetObjectCommand({ Bucket: pointer.bucket, Key: pointer.key }), { abortSignal: signal });
    } catch (error) {
      throw new LargePayloadError(`could not read the large payload in ${where}: ${describe(error)}`, pointer.bucket, pointer.key, isPassingS3Error(error), { cause: error });
    }
    const body = out.Body as (AsyncIterable<Uint8Array> & { destroy?: () => void }) | undefined;
    if (body === undefined) throw new LargePayloadError(`S3 returned no body for ${where}`, pointer.bucket, pointer.key, true);
    if (out.ContentLength !== undefined && out.ContentLength > maxBytes) {
      body.destroy?.();
      throw tooLarge(out.ContentLength);
    }
    const chunks: Uint8Array[] = [];
    let total = 0;
    try {
      for await (const chunk of body) {
        total += chunk.length;
        if (total > maxBytes) {
          body.destroy?.();
          throw tooLarge(`more than ${maxBytes}`);
        }
        chunks.push(chunk);
      }
    } catch (error) {
      if (error instanceof LargePayloadError) throw error;
      throw new LargePayloadError(`the download of ${where} broke off: ${describe(error)}`, pointer.bucket, pointer.key, true, { cause: error });
    }
    return Buffer.concat(chunks, total).toString('utf8');
  }

  async delete(pointer: S3Pointer): Promise<void> {
    const { client, s3 } = await this.client();
    try {
      await client.send(new s3.DeleteObjectCommand({ Bucket: pointer.bucket, Key: pointer.key }));
    } catch (error) {
      throw new LargePayloadError(`could not delete s3://${pointer.bucket}/${pointer.key}: ${describe(error)}`, pointer.bucket, pointer.key, isPassingS3Error(error), { cause: error });
    }
  }
}
