import { expect } from 'chai';
import { ListQueuesCommand } from '@aws-sdk/client-sqs';
import { ListTopicsCommand } from '@aws-sdk/client-sns';
import { createSnsClient, createSqsClient, isLoopbackUrl, localEndpointFor, resolveClientConfig } from '../../src/aws/clients.js';
import { startTestServer } from '../support/fauxqs.js';

const AWS_VARS = ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE'];

describe('aws clients', () => {
  describe('resolveClientConfig', () => {
    it('takes the region from options, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
      expect(resolveClientConfig({ region: 'eu-west-1' }, { AWS_REGION: 'us-west-2' }).region).to.equal('eu-west-1');
      expect(resolveClientConfig({}, { AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'ap-south-1' }).region).to.equal('us-west-2');
      expect(resolveClientConfig({}, { AWS_DEFAULT_REGION: 'ap-south-1' }).region).to.equal('ap-south-1');
    });

    it('falls back to us-east-1 only when an endpoint is given', () => {
      expect(resolveClientConfig({ endpoint: 'http://127.0.0.1:1' }, {}).region).to.equal('us-east-1');
      expect(resolveClientConfig({}, {})).to.deep.equal({});
    });

    it('gives a loopback endpoint dummy credentials when none are configured', () => {
      const config = resolveClientConfig({ endpoint: 'http://localhost:4566' }, {});
      expect(config.credentials).to.deep.equal({ accessKeyId: 'local', secretAccessKey: 'local' });
    });

    it('leaves credentials to the SDK chain when configured anywhere or the endpoint is remote', () => {
      expect(resolveClientConfig({ endpoint: 'http://127.0.0.1:1' }, { AWS_ACCESS_KEY_ID: 'AKIA' }).credentials).to.equal(undefined);
      expect(resolveClientConfig({ endpoint: 'http://127.0.0.1:1' }, { AWS_PROFILE: 'dev' }).credentials).to.equal(undefined);
      expect(resolveClientConfig({ endpoint: 'https://sqs.eu-west-1.amazonaws.com' }, {}).credentials).to.equal(undefined);
      expect(resolveClientConfig({}, {}).credentials).to.equal(undefined);
    });

    it('keeps explicit credentials as given', () => {
      const credentials = { accessKeyId: 'a', secretAccessKey: 'b' };
      expect(resolveClientConfig({ endpoint: 'http://127.0.0.1:1', credentials }, {}).credentials).to.equal(credentials);
    });
  });

  it('recognises loopback URLs', () => {
    for (const url of ['http://127.0.0.1:9324', 'http://localhost', 'http://sqs.us-east-1.localhost:1/0/q', 'http://[::1]:80', 'http://127.10.0.3']) {
      expect(isLoopbackUrl(url), url).to.equal(true);
    }
    for (const url of ['https://sqs.us-east-1.amazonaws.com', 'http://10.0.0.1', 'http://localhost.example.com', 'not a url', 'http://1270.0.0.1']) {
      expect(isLoopbackUrl(url), url).to.equal(false);
    }
  });

  it('derives a resolvable endpoint from a local queue URL', () => {
    expect(localEndpointFor('http://sqs.us-east-1.localhost:4566/000000000000/q')).to.equal('http://127.0.0.1:4566');
    expect(localEndpointFor('http://127.0.0.1:9324/queue/q')).to.equal('http://127.0.0.1:9324');
    expect(localEndpointFor('http://sqs.us-east-1.127.0.0.1:4566/000000000000/q')).to.equal('http://127.0.0.1:4566');
    expect(localEndpointFor('http://[::1]:4566/000000000000/q')).to.equal('http://[::1]:4566');
    expect(localEndpointFor('http://sqs.us-east-1.10.0.0.1:4566/000000000000/q')).to.equal(undefined);
    expect(localEndpointFor('https://sqs.us-east-1.amazonaws.com/123/q')).to.equal(undefined);
  });

  describe('against a local server', () => {
    const saved: Record<string, string | undefined> = {};
    before(() => {
      for (const name of AWS_VARS) {
        saved[name] = process.env[name];
        delete process.env[name];
      }
    });
    after(() => {
      for (const name of AWS_VARS) {
        if (saved[name] !== undefined) process.env[name] = saved[name];
      }
    });

    it('talks to SQS and SNS with only an endpoint (no region, no credentials)', async () => {
      const server = await startTestServer();
      const queueUrl = await server.createQueue({ name: 'clients' });
      const topicArn = await server.createTopic('clients');
      const sqs = createSqsClient({ endpoint: server.endpoint });
      const sns = createSnsClient({ endpoint: server.endpoint });
      expect(await sqs.config.region()).to.equal('us-east-1');
      const queues = await sqs.send(new ListQueuesCommand({}));
      expect(queues.QueueUrls).to.include(queueUrl);
      const topics = await sns.send(new ListTopicsCommand({}));
      expect(topics.Topics?.map((t) => t.TopicArn)).to.include(topicArn);
    });
  });
});
