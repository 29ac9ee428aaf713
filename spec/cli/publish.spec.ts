import { expect } from 'chai';
import { deserialize } from 'bson';
import { startTestServer } from '../support/fauxqs.js';
import type { TestServer } from '../support/fauxqs.js';
import { cleanEnv, runInProcess } from './run.js';

const event = {
  protocol: 'mega',
  version: 1,
  event: { name: 'item.added', domain: 'shopping_cart', timestamp: '2020-05-04T15:53:23', item_id: 'x', quantity: 5 },
};

describe('cli: publish', () => {
  let server: TestServer;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    server = await startTestServer();
    env = cleanEnv({ AWS_ENDPOINT_URL: server.endpoint });
  });

  it('validates a MEGA event and sends it to a queue in wire form, printing the message id', async () => {
    const queueUrl = await server.createQueue({ name: 'cli-publish' });
    const run = await runInProcess(['publish', queueUrl, '--json', JSON.stringify(event), '--attr', 'source=cli', '--attr', 'team=carts'], { env });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.contain('published a MEGA event as JSON');
    const [message] = await server.receiveAll(queueUrl);
    expect(run.stdout).to.contain(`message id ${message?.MessageId}`);
    const body = JSON.parse(message?.Body ?? '');
    expect(body.event).to.deep.include({ name: 'item.added', timestamp: '2020-05-04T15:53:23.000Z', attributes: { item_id: 'x', quantity: 5 } });
    expect(message?.MessageAttributes?.source?.StringValue).to.equal('cli');
    expect(message?.MessageAttributes?.team?.StringValue).to.equal('carts');
  });

  it('sends a data object from stdin as base64 BSON with --bson', async () => {
    const queueUrl = await server.createQueue({ name: 'cli-publish-bson' });
    const data = { type: 'user_notification', user: { id: 1 } };
    const run = await runInProcess(['publish', queueUrl, '--bson', '--print-json'], { env, stdin: JSON.stringify(data) });
    expect(run.code, run.stderr).to.equal(0);
    const [message] = await server.receiveAll(queueUrl);
    expect(JSON.parse(run.stdout)).to.deep.equal({ messageId: message?.MessageId, target: queueUrl });
    expect(deserialize(Buffer.from(message?.Body ?? '', 'base64'))).to.deep.equal(data);
  });

  it('sends text as it is, with a delay', async () => {
    const queueUrl = await server.createQueue({ name: 'cli-publish-text' });
    const run = await runInProcess(['publish', queueUrl, '--text', 'hello there', '--delay', '0'], { env });
    expect(run.code, run.stderr).to.equal(0);
    const [message] = await server.receiveAll(queueUrl);
    expect(message?.Body).to.equal('hello there');
  });

  it('sends file or stdin content as text with --plain, and FIFO group and deduplication ids', async () => {
    const queueUrl = await server.createQueue({ name: 'cli-publish-fifo', attributes: { FifoQueue: 'true' } });
    const run = await runInProcess(['publish', queueUrl, '--plain', '--group-id', 'g1', '--dedup-id', 'd1'], { env, stdin: 'PING from cron\n' });
    expect(run.code, run.stderr).to.equal(0);
    const [message] = await server.receiveAll(queueUrl);
    expect(message?.Body).to.equal('PING from cron\n');
    expect(message?.Attributes?.MessageGroupId).to.equal('g1');
    expect(message?.Attributes?.MessageDeduplicationId).to.equal('d1');
  });

  it('publishes to a topic; an enveloped subscription receives the SNS notification', async () => {
    const queueUrl = await server.createQueue({ name: 'cli-publish-sns' });
    const topicArn = await server.createTopic('cli-events');
    await server.subscribe(topicArn, queueUrl, { raw: false });
    const run = await runInProcess(['publish', topicArn, '--json', JSON.stringify(event), '--subject', 'cart'], { env });
    expect(run.code, run.stderr).to.equal(0);
    const [message] = await server.receiveAll(queueUrl);
    const envelope = JSON.parse(message?.Body ?? '');
    expect(envelope).to.include({ Type: 'Notification', TopicArn: topicArn, Subject: 'cart' });
    expect(JSON.parse(envelope.Message).event.name).to.equal('item.added');
  });

  it('fills in what PayloadBuilder would: protocol version, event timestamp (now) and versions', async () => {
    const queueUrl = await server.createQueue({ name: 'cli-publish-defaults' });
    const before = Date.now();
    for (const json of [
      '{"protocol":"mega","version":1,"event":{"domain":"shop","name":"item.added","subject":"1"}}',
      '{"protocol":"mega","event":{"domain":"shop","name":"item.added","subject":"1","timestamp":null}}',
    ]) {
      const run = await runInProcess(['publish', queueUrl, '--json', json], { env });
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.contain('published a MEGA event');
    }
    for (const message of await server.receiveAll(queueUrl, { min: 2 })) {
      const body = JSON.parse(message.Body ?? '');
      expect(body).to.deep.include({ protocol: 'mega', version: 1 });
      expect(body.event).to.deep.include({ domain: 'shop', name: 'item.added', subject: '1', version: 1 });
      expect(Date.parse(body.event.timestamp)).to.be.within(before, Date.now());
    }
    expect((await runInProcess(['publish', '--help'])).stdout).to.contain('"event.timestamp" now');
  });

  it('refuses an invalid MEGA event before sending anything (exit 1, naming the field)', async () => {
    const queueUrl = await server.createQueue({ name: 'cli-publish-invalid' });
    const run = await runInProcess(['publish', queueUrl, '--json', '{"protocol":"mega","version":1,"event":{"name":""}}'], { env });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain('the MEGA payload from --json is invalid: event.name');
    expect(await server.receiveAll(queueUrl, { min: 0, timeoutMs: 200 })).to.have.length(0);
  });

  it('says what is wrong with bad JSON, a non-object, or a missing queue (exit 1)', async () => {
    const queueUrl = await server.createQueue({ name: 'cli-publish-bad' });
    const notJson = await runInProcess(['publish', queueUrl, '--json', '{oops'], { env });
    expect(notJson.code).to.equal(1);
    expect(notJson.stderr).to.contain('is not valid JSON').and.to.contain('use --text or --plain');
    const array = await runInProcess(['publish', queueUrl, '--json', '[1,2]'], { env });
    expect(array.stderr).to.contain('must be a JSON object').and.to.contain('got an array');
    const missing = await runInProcess(['publish', `${server.endpoint}/000000000000/no-such-queue`, '--text', 'x'], { env });
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.match(/publishing to .*no-such-queue failed/);
  });

  it('usage errors exit 2: bad target, two payloads, --bson with text, --delay on a topic, bad --attr', async () => {
    const cases: [string[], string][] = [
      [['publish', 'my-queue', '--text', 'x'], 'must be a queue URL'],
      [['publish', 'http://127.0.0.1:1/0/q', '--text', 'x', '--json', '{}'], '--json and --text were both given'],
      [['publish', 'http://127.0.0.1:1/0/q', '--text', 'x', '--bson'], '--bson encodes objects'],
      [['publish', 'arn:aws:sns:us-east-1:000000000000:t', '--text', 'x', '--delay', '5'], '--delay applies to queues only'],
      [['publish', 'http://127.0.0.1:1/0/q', '--text', 'x', '--attr', 'novalue'], '--attr takes NAME=VALUE'],
    ];
    for (const [argv, message] of cases) {
      const run = await runInProcess(argv, { env });
      expect(run.code, argv.join(' ')).to.equal(2);
      expect(run.stderr).to.contain(message);
    }
  });
});
