import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { TEST_CREDENTIALS, TEST_REGION } from '../support/fauxqs.js';

/** An S3 client for fauxqs (path-style: fauxqs serves S3 on the same loopback port as SQS and SNS). */
export function s3For(endpoint: string, maxAttempts = 3): S3Client {
  return new S3Client({ region: TEST_REGION, endpoint, credentials: TEST_CREDENTIALS, forcePathStyle: true, maxAttempts });
}

export async function createBucket(s3: S3Client): Promise<string> {
  const bucket = `payloads-${randomUUID().slice(0, 8)}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}

export async function readObject(s3: S3Client, bucket: string, key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await out.Body?.transformToString('utf-8')) ?? '';
}

export async function putObject(s3: S3Client, bucket: string, key: string, body: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

/** A data payload of about `bytes` bytes when encoded as JSON. */
export function bigData(bytes: number, id: number): Record<string, unknown> {
  return { type: 'blob', id, filler: 'x'.repeat(bytes) };
}
