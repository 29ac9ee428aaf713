/**
 * What may be an SQS queue URL. The SDK sends `QueueUrl` as a string and parses it only to pick an
 * endpoint, so this refuses only what can never name a queue. It does not use the WHATWG URL parser:
 * that refuses hosts such as `sqs.us-east-1.127.0.0.1` (a name ending in an IPv4 address), which
 * local servers hand out and the SDK sends to without complaint.
 */
export const QUEUE_URL_EXAMPLE = 'https://sqs.us-east-1.amazonaws.com/123456789012/orders';

const QUEUE_URL = /^(https?):\/\/(\[[0-9a-f:.]+\]|[^/\s:?#[\]@]+)(?::(\d{1,5}))?(\/[^\s#]*)$/i;

export interface QueueUrlParts {
  readonly protocol: 'http:' | 'https:';
  /** As written; an IPv6 address keeps its brackets. */
  readonly hostname: string;
  /** '' when the URL names none. */
  readonly port: string;
  readonly path: string;
}

/** The parts of a queue URL, or undefined when it cannot be one (see {@link queueUrlProblem}). */
export function parseQueueUrl(value: string): QueueUrlParts | undefined {
  const m = QUEUE_URL.exec(value);
  if (m === null || !/^\/[^/?]/.test(m[4] as string)) return undefined;
  return { protocol: `${(m[1] as string).toLowerCase()}:` as 'http:' | 'https:', hostname: m[2] as string, port: m[3] ?? '', path: m[4] as string };
}

/** Why `value` can never be a queue URL, or undefined when it may be one. */
export function queueUrlProblem(value: string): string | undefined {
  if (parseQueueUrl(value) !== undefined) return undefined;
  if (/\s/.test(value)) return 'it contains whitespace';
  if (!/^https?:\/\//i.test(value)) return 'it does not start with http:// or https://';
  if (!/^https?:\/\/[^/]+/i.test(value)) return 'it has no host';
  if (!/^https?:\/\/[^/]+\/[^/?]/i.test(value)) return 'it has no queue in its path';
  return 'its host or port is malformed';
}
