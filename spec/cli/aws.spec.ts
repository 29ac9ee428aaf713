import { expect } from 'chai';
import { awsFailure, awsSettings } from '../../src/cli/aws.js';
import type { ParsedArgs } from '../../src/cli/command.js';
import { CliFailure, UsageError } from '../../src/cli/errors.js';
import { runInProcess } from './run.js';

const args = (values: ParsedArgs['values'] = {}): ParsedArgs => ({ values, positionals: [] });

describe('cli: AWS settings', () => {
  it('takes the endpoint from --endpoint, then AWS_ENDPOINT_URL_SQS/_SNS, then AWS_ENDPOINT_URL', () => {
    const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:9324' };
    expect(awsSettings(args(), env).sqs.endpoint).to.equal('http://127.0.0.1:9324');
    expect(awsSettings(args(), env).sns.endpoint).to.equal('http://127.0.0.1:4566');
    const flagged = awsSettings(args({ endpoint: 'http://localhost:1234' }), env);
    expect([flagged.sqs.endpoint, flagged.sns.endpoint]).to.deep.equal(['http://localhost:1234', 'http://localhost:1234']);
    expect(awsSettings(args(), {}).sqs).to.deep.equal({});
  });

  it('takes the region from --region, AWS_REGION, AWS_DEFAULT_REGION; a loopback endpoint needs none', () => {
    expect(awsSettings(args({ region: 'eu-west-1' }), { AWS_REGION: 'us-west-2' }).sqs.region).to.equal('eu-west-1');
    expect(awsSettings(args(), { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'eu-central-1' }).sqs.region).to.equal('us-west-2');
    expect(awsSettings(args(), { AWS_DEFAULT_REGION: 'eu-central-1' }).sqs.region).to.equal('eu-central-1');
    expect(awsSettings(args(), { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566' }).sqs.region).to.equal('us-east-1');
    expect(awsSettings(args(), { AWS_ENDPOINT_URL: 'https://sqs.example.internal' }).sqs.region).to.equal(undefined);
  });

  it('refuses an endpoint that is not an http(s) URL, naming its source', () => {
    expect(() => awsSettings(args({ endpoint: 'ftp://x' }), {})).to.throw(UsageError, '--endpoint must be an http:// or https:// URL');
    expect(() => awsSettings(args(), { AWS_ENDPOINT_URL_SNS: 'nope' })).to.throw(UsageError, 'AWS_ENDPOINT_URL_SNS is not a URL');
  });

  it('turns SDK and network errors into one line saying what to do', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(awsFailure(refused, 'reading q').message).to.equal('reading q failed: cannot reach the endpoint (ECONNREFUSED); check --endpoint / AWS_ENDPOINT_URL');
    expect(awsFailure(new Error('Region is missing'), 'x').message).to.contain('no AWS region: set AWS_REGION or pass --region');
    const creds = Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' });
    expect(awsFailure(creds, 'x').message).to.contain('no AWS credentials');
    const service = Object.assign(new Error('The specified queue does not exist.'), { name: 'QueueDoesNotExist' });
    const failure = awsFailure(service, 'reading q');
    expect(failure).to.be.instanceOf(CliFailure);
    expect(failure.message).to.equal('reading q failed: QueueDoesNotExist: The specified queue does not exist.');
    expect(failure.cause).to.equal(service);
  });

  it('an unreachable endpoint fails the command with exit 1 and that message, never showing the credentials', async () => {
    // The SDK reads credentials from the process environment; set real-looking ones for this test only.
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, key: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = secret;
    try {
      const run = await runInProcess(['peek', 'http://127.0.0.1:1/000000000000/q', '--wait', '0'], { env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:1' } });
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain('cannot reach the endpoint (ECONNREFUSED)');
      expect(run.stdout + run.stderr).to.not.contain(secret).and.to.not.contain('AKIAIOSFODNN7EXAMPLE');
    } finally {
      for (const [name, value] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.key]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
