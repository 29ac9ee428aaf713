import { expect } from 'chai';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PublishCommand } from '@aws-sdk/client-sns';
import { clientsFor, startServerProcess, startTestServer, TEST_CREDENTIALS, TEST_REGION } from './fauxqs.js';

describe('test harness (fauxqs)', () => {
  it('shares one loopback server per run and creates unique queues', async () => {
    const a = await startTestServer();
    const b = await startTestServer();
    expect(a).to.equal(b);
    expect(a.endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    const q1 = await a.createQueue({ name: 'same' });
    const q2 = await a.createQueue({ name: 'same' });
    expect(q1).to.not.equal(q2);
    // fauxqs names queue hosts sqs.<region>.localhost (loopback by RFC 6761); clients use the endpoint.
    expect(new URL(q1).hostname).to.match(/(^|\.)localhost$|^127\.0\.0\.1$/);
    expect(new URL(q1).pathname).to.match(/^\/\d+\/same-/);
    const fifo = await a.createQueue({ attributes: { FifoQueue: 'true' } });
    expect(fifo).to.match(/\.fifo$/);
  });

  it('round-trips a message and drains the queue', async () => {
    const server = await startTestServer();
    const queueUrl = await server.createQueue();
    for (const body of ['one', 'two', 'three']) {
      await server.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    }
    const messages = await server.receiveAll(queueUrl, { min: 3 });
    expect(messages.map((m) => m.Body).sort()).to.deep.equal(['one', 'three', 'two']);
    expect(await server.receiveAll(queueUrl, { min: 0 })).to.have.length(0);
  });

  it('delivers SNS raw messages as the bare body', async () => {
    const server = await startTestServer();
    const topicArn = await server.createTopic();
    const queueUrl = await server.createQueue();
    await server.subscribe(topicArn, queueUrl, { raw: true });
    await server.sns.send(new PublishCommand({ TopicArn: topicArn, Message: '{"a":1}' }));
    const [message] = await server.receiveAll(queueUrl);
    expect(message?.Body).to.equal('{"a":1}');
  });

  it('wraps SNS messages in the notification envelope when raw delivery is off', async () => {
    const server = await startTestServer();
    const topicArn = await server.createTopic();
    const queueUrl = await server.createQueue();
    await server.subscribe(topicArn, queueUrl, { raw: false });
    await server.sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: '{"a":1}',
        Subject: 'hello',
        MessageAttributes: { color: { DataType: 'String', StringValue: 'red' } },
      }),
    );
    const [message] = await server.receiveAll(queueUrl);
    const envelope = JSON.parse(message?.Body ?? '') as Record<string, unknown>;
    expect(envelope).to.include({ Type: 'Notification', TopicArn: topicArn, Message: '{"a":1}', Subject: 'hello' });
    expect(envelope.MessageId).to.be.a('string');
    expect(envelope.Timestamp).to.be.a('string');
    expect(envelope.MessageAttributes).to.deep.equal({ color: { Type: 'String', Value: 'red' } });
  });

  it('runs fauxqs in a child process and stops it', async function () {
    this.timeout(30_000);
    const child = await startServerProcess();
    try {
      const server = clientsFor(child.endpoint);
      const queueUrl = await server.createQueue();
      await server.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' }));
      expect((await server.receiveAll(queueUrl)).map((m) => m.Body)).to.deep.equal(['x']);
    } finally {
      await child.stop();
    }
    const probe = new SQSClient({ region: TEST_REGION, endpoint: child.endpoint, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    let failed = false;
    try {
      await probe.send(new SendMessageCommand({ QueueUrl: `${child.endpoint}/000000000000/gone`, MessageBody: 'x' }));
    } catch {
      failed = true;
    }
    expect(failed).to.equal(true);
  });
});
