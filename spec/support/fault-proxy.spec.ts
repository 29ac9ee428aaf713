import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import { CreateTopicCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { expect } from 'chai';
import { FaultProxy, seededRandom } from './fault-proxy.js';
import { startTestServer, TEST_CREDENTIALS, TEST_REGION, type TestServer } from './fauxqs.js';

describe('support/fault-proxy', function () {
  this.timeout(15_000);
  let server: TestServer;
  let proxy: FaultProxy;
  let queueUrl: string;
  const clients: SQSClient[] = [];

  function client(config: Partial<SQSClientConfig> = {}): SQSClient {
    const c = new SQSClient({ region: TEST_REGION, endpoint: proxy.endpoint, credentials: TEST_CREDENTIALS, ...config });
    clients.push(c);
    return c;
  }
  const send = (c: SQSClient, body = 'hello') => c.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  const depth = async () => {
    const out = await server.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    return Number(out.Attributes?.ApproximateNumberOfMessages);
  };

  before(async () => {
    server = await startTestServer();
  });
  beforeEach(async () => {
    proxy = await FaultProxy.start({ target: server.endpoint, random: seededRandom(7) });
    queueUrl = await server.createQueue({ name: 'proxy' });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await proxy.close();
  });

  it('forwards requests untouched and counts them per SQS action', async () => {
    const c = client();
    await send(c, 'one');
    await send(c, 'two');
    const out = await c.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    expect((out.Messages ?? []).map((m) => m.Body).sort()).to.deep.equal(['one', 'two']);
    const stats = proxy.stats();
    expect(stats.requests).to.equal(3);
    expect(stats.forwarded).to.equal(3);
    expect(stats.faults).to.equal(0);
    expect(stats.byAction.SendMessage?.requests).to.equal(2);
    expect(stats.byAction.ReceiveMessage?.requests).to.equal(1);
  });

  it('answers throttling the way the SDK classifies as throttling, so it retries on its own', async () => {
    proxy.inject({ kind: 'throttle' });
    const error = await send(client({ maxAttempts: 3 })).then(
      () => undefined,
      (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number; attempts?: number } },
    );
    expect(error?.name).to.equal('ThrottlingException');
    expect(error?.$metadata?.httpStatusCode).to.equal(400);
    // Three attempts reached the proxy: the SDK treated the answer as retriable.
    expect(proxy.stats().faultsByKind.throttle).to.equal(3);
    expect(error?.$metadata?.attempts).to.equal(3);
    expect(await depth()).to.equal(0);
  });

  it('answers 5xx errors that the SDK retries as transient', async () => {
    proxy.inject({ kind: 'server-error', status: 503 });
    const error = await send(client({ maxAttempts: 2 })).then(
      () => undefined,
      (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } },
    );
    expect(error?.$metadata?.httpStatusCode).to.equal(503);
    expect(proxy.stats().byAction.SendMessage?.faults['server-error']).to.equal(2);
    expect(await depth()).to.equal(0);
  });

  it('refuses a request by closing its connection without an answer', async () => {
    proxy.inject({ kind: 'refuse' });
    const error = await send(client({ maxAttempts: 1 })).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(error).to.be.instanceOf(Error);
    expect(proxy.stats().faultsByKind.refuse).to.equal(1);
    expect(proxy.stats().forwarded).to.equal(0);
    expect(await depth()).to.equal(0);
  });

  it('cuts a response midway after the server acted on the request', async () => {
    proxy.inject({ kind: 'cut', actions: ['SendMessage'] });
    const error = await send(client({ maxAttempts: 1 }), 'acted-on').then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).to.be.instanceOf(Error);
    expect(proxy.stats().faultsByKind.cut).to.equal(1);
    // The client saw a failure, yet the message is on the queue: the reason for at-least-once.
    const messages = await server.receiveAll(queueUrl, { min: 1 });
    expect(messages.map((m) => m.Body)).to.deep.equal(['acted-on']);
  });

  it('delays a request past the client timeout, then lets the next one through', async () => {
    proxy.inject({ kind: 'delay', delayMs: 3_000, actions: ['SendMessage'] });
    const c = client({ maxAttempts: 1, requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true } });
    const started = Date.now();
    const error = await send(c).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.name).to.equal('TimeoutError');
    expect(Date.now() - started).to.be.below(2_500);
    proxy.clear();
    await send(c, 'after');
    expect(proxy.stats().faultsByKind.delay).to.equal(1);
    expect(await depth()).to.equal(1);
  });

  it('injects a fault at the given rate, only for the named actions, and the counts add up', async () => {
    proxy.inject({ kind: 'throttle', rate: 0.5, actions: ['GetQueueAttributes'] });
    const c = client({ maxAttempts: 1 });
    let failed = 0;
    for (let i = 0; i < 60; i += 1) {
      await c.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] })).catch(() => (failed += 1));
    }
    for (let i = 0; i < 5; i += 1) await send(c);
    const stats = proxy.stats();
    const gqa = stats.byAction.GetQueueAttributes;
    expect(gqa?.requests).to.equal(60);
    expect(gqa?.faults.throttle).to.equal(failed);
    expect(failed).to.be.within(15, 45);
    expect(stats.byAction.SendMessage?.faults.throttle).to.equal(0);
    expect(stats.requests).to.equal(stats.forwarded + stats.faults);
  });

  it('goes dark (connections dropped on accept) and comes back', async () => {
    const c = client({ maxAttempts: 1 });
    await send(c);
    proxy.goDark();
    const error = await send(c).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).to.be.instanceOf(Error);
    expect(proxy.stats().requests).to.equal(1);
    proxy.comeBack();
    await send(c);
    expect(await depth()).to.equal(2);
  });

  it('stops listening (connection refused) and resumes on the same port', async () => {
    const c = client({ maxAttempts: 1 });
    const endpoint = proxy.endpoint;
    await proxy.pause();
    const error = await send(c).then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(error?.code).to.equal('ECONNREFUSED');
    await proxy.resume();
    expect(proxy.endpoint).to.equal(endpoint);
    await send(c);
    expect(await depth()).to.equal(1);
  });

  it('injectFor removes its rule when the window ends', async () => {
    const c = client({ maxAttempts: 1 });
    const window = proxy.injectFor({ kind: 'server-error' }, 300);
    await send(c).catch(() => undefined);
    await window;
    await send(c);
    expect(proxy.stats().faults).to.equal(1);
    expect(await depth()).to.equal(1);
  });

  it('names SNS actions too (query protocol), so SNS calls can be faulted by name', async () => {
    const sns = new SNSClient({ region: TEST_REGION, endpoint: proxy.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    try {
      proxy.inject({ kind: 'server-error', actions: ['Publish'] });
      const topic = await sns.send(new CreateTopicCommand({ Name: `proxy-${Date.now()}` }));
      const error = await sns.send(new PublishCommand({ TopicArn: topic.TopicArn, Message: 'x' })).then(
        () => undefined,
        (e: unknown) => e as { $metadata?: { httpStatusCode?: number } },
      );
      expect(error?.$metadata?.httpStatusCode).to.equal(500);
      expect(proxy.stats().byAction.CreateTopic?.forwarded).to.equal(1);
      expect(proxy.stats().byAction.Publish?.faults['server-error']).to.equal(1);
    } finally {
      sns.destroy();
    }
  });

  it('rejects a bad rate and non-loopback targets', async () => {
    expect(() => proxy.inject({ kind: 'throttle', rate: 2 })).to.throw(RangeError, /rate/);
    let error: unknown;
    await FaultProxy.start({ target: 'http://example.com:80' }).catch((e: unknown) => (error = e));
    expect(String(error)).to.match(/loopback/);
  });
});
