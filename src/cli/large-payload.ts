import type { Message } from '@aws-sdk/client-sqs';
import type { AwsClientOptions } from '../aws/clients.js';
import { decodeBody } from '../codec/body.js';
import type { Decoded } from '../codec/decoded.js';
import { resolveConsumeLargePayloads } from '../large-payloads/options.js';
import { PayloadResolver } from '../large-payloads/resolve.js';

/** A message as the CLI shows it: any Extended Client pointer resolved, and where the payload came from. */
export interface Shown {
  decoded: Decoded;
  /** `s3://bucket/key` when the payload was fetched from S3. */
  fromS3?: string;
}

/** The CLI resolves pointers wherever it reads messages; S3 is only contacted when a pointer shows up. */
export function cliResolver(aws: AwsClientOptions): PayloadResolver {
  return new PayloadResolver(resolveConsumeLargePayloads({}), aws);
}

/** Decodes a message, fetching its payload from S3 first when its body is a pointer. */
export async function showMessage(resolver: PayloadResolver, message: Message): Promise<Shown> {
  const resolution = await resolver.resolve(message);
  if (resolution.kind === 'resolved') {
    const { bucket, key } = resolution.pointer;
    return { decoded: decodeBody(resolution.body, { maxBodyBytes: resolver.options.maxPayloadBytes }), fromS3: `s3://${bucket}/${key}` };
  }
  if (resolution.kind === 'inline') return { decoded: decodeBody(message.Body ?? '') };
  return { decoded: { kind: 'invalid', encoding: 'text', error: resolution.error, body: message.Body ?? '' } };
}
