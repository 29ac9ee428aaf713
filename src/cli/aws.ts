import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { createSnsClient, createSqsClient, isLoopbackUrl, localEndpointFor } from '../aws/clients.js';
import type { AwsClientOptions } from '../aws/clients.js';
import type { OptionSpecs, ParsedArgs } from './command.js';
import { stringOption } from './command.js';
import { CliFailure, UsageError } from './errors.js';

/** The flags every command that talks to AWS takes; credentials only ever come from the SDK's chain. */
export const AWS_OPTIONS: OptionSpecs = {
  endpoint: { type: 'string', value: 'URL', description: 'SQS/SNS endpoint (default: AWS_ENDPOINT_URL_SQS/_SNS, AWS_ENDPOINT_URL, else AWS)' },
  region: { type: 'string', value: 'REGION', description: 'AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, the SDK profile)' },
};

export interface AwsSettings {
  sqs: AwsClientOptions;
  sns: AwsClientOptions;
}

/** Endpoint and region from flags first, then the AWS SDK's usual environment variables. */
export function awsSettings(args: ParsedArgs, env: NodeJS.ProcessEnv): AwsSettings {
  const flag = stringOption(args, 'endpoint');
  const region = nonEmpty(stringOption(args, 'region')) ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
  const settings = (service: 'SQS' | 'SNS'): AwsClientOptions => {
    const endpoint = nonEmpty(flag) ?? nonEmpty(env[`AWS_ENDPOINT_URL_${service}`]) ?? nonEmpty(env.AWS_ENDPOINT_URL);
    if (endpoint !== undefined) checkEndpoint(endpoint, flag !== undefined ? '--endpoint' : `AWS_ENDPOINT_URL${env[`AWS_ENDPOINT_URL_${service}`] ? `_${service}` : ''}`);
    // A local server does not care about the region, so spare the user from setting one.
    const resolvedRegion = region ?? (endpoint !== undefined && isLoopbackUrl(endpoint) ? 'us-east-1' : undefined);
    return { ...(endpoint === undefined ? {} : { endpoint }), ...(resolvedRegion === undefined ? {} : { region: resolvedRegion }) };
  };
  return { sqs: settings('SQS'), sns: settings('SNS') };
}

/** An SQS client; with no endpoint configured, a queue URL on a local server is its own endpoint. */
export function sqsClient(settings: AwsSettings, queueUrl?: string): SQSClient {
  const local = settings.sqs.endpoint === undefined && queueUrl !== undefined ? localEndpointFor(queueUrl) : undefined;
  return createSqsClient(local === undefined ? settings.sqs : { ...settings.sqs, endpoint: local });
}

export function snsClient(settings: AwsSettings): SNSClient {
  return createSnsClient(settings.sns);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function checkEndpoint(endpoint: string, source: string): void {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new UsageError(`${source} is not a URL: ${JSON.stringify(endpoint)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${source} must be an http:// or https:// URL, got ${JSON.stringify(endpoint)}`);
  }
}

/**
 * Turns an SDK or network error into a one-line failure that says what to do. SDK messages name
 * the service's complaint, never the credentials, so they are safe to show.
 */
export function awsFailure(error: unknown, action: string): CliFailure {
  if (error instanceof CliFailure || error instanceof UsageError) return error;
  const e = error as Error & { code?: string; name?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code;
  let detail: string;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'ECONNRESET') {
    detail = `cannot reach the endpoint (${code}); check --endpoint / AWS_ENDPOINT_URL`;
  } else if (/region is missing/i.test(e.message ?? '')) {
    detail = 'no AWS region: set AWS_REGION or pass --region';
  } else if (e.name === 'CredentialsProviderError' || /could not load credentials/i.test(e.message ?? '')) {
    detail = 'no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE (or use --endpoint for a local server)';
  } else {
    detail = `${e.name ?? 'Error'}: ${e.message ?? String(error)}`;
  }
  return new CliFailure(`${action} failed: ${detail}`, { cause: error });
}
