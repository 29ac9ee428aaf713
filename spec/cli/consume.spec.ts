import { expect } from 'chai';
import { SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { encodePayload } from '../../src/codec/encode.js';
import { startTestServer } from '../support/fauxqs.js';
import type { TestServer } from '../support/fauxqs.js';
import { cleanEnv, runChild, runInProcess } from './run.js';

const mega = { protocol: 'mega', version: 1, event: { name: 'item.added', timestamp: '2020-05-04T15:53:23Z', quantity: 2 } };

describe('cli: consume and peek', () => {
  let server: TestServer;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    server = await startTestServer();
    env = cleanEnv({ AWS_ENDPOINT_URL: server.endpoint });
  });

  async function queueWith(bodies: string[]): Promise<string> {
    const queueUrl = await server.createQueue({ name: 'cli-read' });
    for (let i = 0; i < bodies.length; i += 10) {
      await server.sqs.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: bodies.slice(i, i + 10).map((b, j) => ({ Id: String(j), MessageBody: b })) }),
      );
    }
    return queueUrl;
  }

  it('peek prints each message decoded and leaves every one on the queue', async () => {
    const bson = encodePayload({ type: 'user_notification', user: { id: 7 } }, { binaryEncoding: true });
    const queueUrl = await queueWith([JSON.stringify(mega), bson, 'plain words']);
    const run = await runInProcess(['peek', queueUrl, '--wait', '0'], { env });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.contain('MEGA event item.added v1 (json)');
    expect(run.stdout).to.contain('data object (bson)');
    expect(run.stdout).to.contain('plaintext, 11 characters (text)');
    expect(run.stdout).to.contain('"id": 7');
    expect(run.stderr).to.contain('peeked at 3 messages, released 3');
    // Released at once, so they can be received again right away.
    expect(await server.receiveAll(queueUrl, { min: 3 })).to.have.length(3);
  });

  it('peek --json prints one JSON object per line with kind, encoding, attributes and payload', async () => {
    const queueUrl = await server.createQueue({ name: 'cli-read-json' });
    await server.sqs.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(mega), MessageAttributes: { source: { DataType: 'String', StringValue: 'spec' } } }),
    );
    const run = await runInProcess(['peek', queueUrl, '--json', '--wait', '0'], { env });
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).to.have.length(1);
    expect(lines[0]).to.deep.include({ kind: 'mega', encoding: 'json', receiveCount: 1, attributes: { source: 'spec' } });
    expect(lines[0].payload.event.attributes).to.deep.equal({ quantity: 2 });
  });

  it('consume without --delete keeps the messages (hidden for the visibility timeout); with --delete removes them', async () => {
    const queueUrl = await queueWith(['one', 'two']);
    const kept = await runInProcess(['consume', queueUrl, '--wait', '0', '--visibility-timeout', '1'], { env });
    expect(kept.code, kept.stderr).to.equal(0);
    expect(kept.stderr).to.contain('received 2 messages');
    // Back after their 1 s visibility timeout, as a second delivery.
    const again = await server.receiveAll(queueUrl, { min: 2, timeoutMs: 5000 });
    expect(again.map((m) => m.Attributes?.ApproximateReceiveCount)).to.deep.equal(['2', '2']);

    const queue2 = await queueWith(['three', 'four']);
    const consumed = await runInProcess(['consume', queue2, '--delete', '--wait', '0'], { env });
    expect(consumed.stderr).to.contain('consumed 2 messages, deleted 2');
    expect(await server.receiveAll(queue2, { min: 0, timeoutMs: 300 })).to.have.length(0);
  });

  it('lists each message once even when it comes back during the read (visibility timeout 0)', async () => {
    const queueUrl = await queueWith(['again', 'and again']);
    const run = await runInProcess(['consume', queueUrl, '--visibility-timeout', '0', '--wait', '0', '--json'], { env });
    expect(run.stdout.trim().split('\n').map((l) => JSON.parse(l).payload).sort()).to.deep.equal(['again', 'and again']);
  });

  it('stops at --max and reports progress on stderr for reads over one batch', async () => {
    const queueUrl = await queueWith(Array.from({ length: 25 }, (_, i) => `message ${i}`));
    const run = await runInProcess(['consume', queueUrl, '--max', '15', '--delete', '--json', '--wait', '0'], { env });
    expect(run.stdout.trim().split('\n')).to.have.length(15);
    expect(run.stderr).to.match(/received \d+\/15/);
    expect(run.stderr).to.contain('consumed 15 messages, deleted 15');
    expect(await server.receiveAll(queueUrl, { min: 10 })).to.have.length(10);
  });

  it('names the queue and the cause when it does not exist (exit 1)', async () => {
    const run = await runInProcess(['peek', `${server.endpoint}/000000000000/missing-queue`, '--wait', '0'], { env });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain('reading').and.to.contain('missing-queue failed');
  });

  it('as an executable: peeks with the endpoint from the environment and no SDK warning on stderr', async () => {
    const queueUrl = await queueWith([JSON.stringify(mega)]);
    const run = await runChild(['peek', queueUrl, '--wait', '0', '--quiet'], { env });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.contain('MEGA event item.added');
    expect(run.stderr).to.equal('');
  });
});
