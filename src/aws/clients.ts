import { SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import { parseQueueUrl } from './queue-url.js';

/** Static credentials or a provider function, exactly as the AWS SDK accepts them. */
export type AwsCredentials = NonNullable<SQSClientConfig['credentials']>;

export interface AwsClientOptions {
  /** AWS region; defaults to AWS_REGION, then AWS_DEFAULT_REGION, then us-east-1 when an endpoint is set. */
  region?: string;
  /** Service URL, e.g. a local SQS/SNS server (`http://127.0.0.1:4566`). */
  endpoint?: string;
  /** Defaults to the SDK's credential chain (dummy credentials for a loopback endpoint with none configured). */
  credentials?: AwsCredentials;
}

/** Placeholder credentials for local servers, which do not check signatures (fresh: the SDK tags them). */
const localCredentials = (): AwsCredentials => ({ accessKeyId: 'local', secretAccessKey: 'local' });
const FALLBACK_REGION = 'us-east-1';

export function createSqsClient(options: AwsClientOptions = {}): SQSClient {
  return new SQSClient(resolveClientConfig(options));
}

export function createSnsClient(options: AwsClientOptions = {}): SNSClient {
  return new SNSClient(resolveClientConfig(options));
}

interface ResolvedConfig {
  region?: string;
  endpoint?: string;
  credentials?: AwsCredentials;
}

/** The config both clients get; exported for tests. Never includes credentials it did not choose. */
export function resolveClientConfig(options: AwsClientOptions, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const config: ResolvedConfig = {};
  const endpoint = options.endpoint;
  if (endpoint !== undefined) config.endpoint = endpoint;
  const region = options.region ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
  if (region !== undefined) config.region = region;
  else if (endpoint !== undefined) config.region = FALLBACK_REGION;
  if (options.credentials !== undefined) config.credentials = options.credentials;
  else if (endpoint !== undefined && isLoopbackUrl(endpoint) && !hasConfiguredCredentials(env)) {
    config.credentials = localCredentials();
  }
  return config;
}

// Environment credentials or a named profile mean the user chose credentials; respect them even locally.
function hasConfiguredCredentials(env: NodeJS.ProcessEnv): boolean {
  return (
    nonEmpty(env.AWS_ACCESS_KEY_ID) !== undefined ||
    nonEmpty(env.AWS_PROFILE) !== undefined ||
    nonEmpty(env.AWS_WEB_IDENTITY_TOKEN_FILE) !== undefined
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

/** True for http(s) URLs whose host is a loopback address or a `localhost` name (RFC 6761). */
export function isLoopbackUrl(url: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(url).hostname;
  } catch {
    return false;
  }
  return isLoopbackHost(hostname);
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * The endpoint to use for a queue URL on a local server when none was given, so the SDK neither warns
 * about nor guesses it. Local servers often name queues `sqs.<region>.localhost` or
 * `sqs.<region>.127.0.0.1`, which the system resolver does not know, so those go to the address.
 * Undefined for anything that is not loopback.
 */
export function localEndpointFor(queueUrl: string): string | undefined {
  const url = parseQueueUrl(queueUrl);
  if (url === undefined) return undefined;
  const name = url.hostname.toLowerCase();
  const host = name.endsWith('.localhost') ? '127.0.0.1' : (/\.(127(?:\.\d{1,3}){3})$/.exec(name)?.[1] ?? name);
  if (!isLoopbackHost(host)) return undefined;
  return `${url.protocol}//${host}${url.port === '' ? '' : `:${url.port}`}`;
}
