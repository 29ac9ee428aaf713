import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { serialize } from 'bson';
import { runInProcess } from './run.js';

const notification = { type: 'user_notification', notification_type: 'email', user: { id: 987650, email: 'johndoe_86@example.com' } };
const mega = {
  protocol: 'mega',
  version: 1,
  event: { name: 'item.added', domain: 'shopping_cart', timestamp: '2020-05-04T15:53:23.123', item_id: 'x', quantity: 5 },
};

describe('cli: decode', () => {
  it('turns base64 BSON given as an argument into the data object, as indented JSON', async () => {
    const body = Buffer.from(serialize(notification)).toString('base64');
    const run = await runInProcess(['decode', body]);
    expect(run.code).to.equal(0);
    expect(run.stdout).to.contain('\n  "kind": "data"');
    expect(JSON.parse(run.stdout)).to.deep.equal({ kind: 'data', encoding: 'bson', payload: notification });
  });

  it('reads stdin and shows a MEGA payload in wire form (UTC timestamp, attributes under event.attributes)', async () => {
    const run = await runInProcess(['decode', '--json'], { stdin: JSON.stringify(mega) + '\n' });
    expect(run.code).to.equal(0);
    expect(run.stdout.trim().split('\n')).to.have.length(1);
    const out = JSON.parse(run.stdout);
    expect(out.kind).to.equal('mega');
    expect(out.payload.event).to.deep.include({ name: 'item.added', timestamp: '2020-05-04T15:53:23.123Z', attributes: { item_id: 'x', quantity: 5 } });
  });

  it('reads a file holding an SNS notification and shows the envelope', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sqs-mega-decode-'));
    const file = join(dir, 'body.txt');
    const envelope = {
      Type: 'Notification',
      MessageId: 'm-1',
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:events',
      Message: Buffer.from(serialize(notification)).toString('base64'),
      Timestamp: '2020-05-04T15:53:23.123Z',
      SignatureVersion: '1',
    };
    await writeFile(file, JSON.stringify(envelope));
    const run = await runInProcess(['decode', '--file', file]);
    expect(run.code).to.equal(0);
    const out = JSON.parse(run.stdout);
    expect(out).to.deep.include({ kind: 'data', encoding: 'bson', payload: notification });
    expect(out.envelope).to.deep.include({ type: 'Notification', messageId: 'm-1', topicArn: envelope.TopicArn });
  });

  it('prints why an invalid body is invalid and exits 1', async () => {
    const run = await runInProcess(['decode', '{"protocol":"mega","version":1,"event":{"timestamp":"2020-01-01T00:00:00Z"}}']);
    expect(run.code).to.equal(1);
    const out = JSON.parse(run.stdout);
    expect(out.kind).to.equal('invalid');
    expect(out.error).to.contain('event.name');
  });

  it('plaintext stays text', async () => {
    const run = await runInProcess(['decode', 'hello, world']);
    expect(JSON.parse(run.stdout)).to.deep.equal({ kind: 'plaintext', encoding: 'text', payload: 'hello, world' });
  });

  it('refuses a body given twice (exit 2) and a missing file (exit 1, naming it)', async () => {
    const twice = await runInProcess(['decode', 'x', '--file', 'y']);
    expect(twice.code).to.equal(2);
    expect(twice.stderr).to.contain('not both');
    const missing = await runInProcess(['decode', '--file', '/nonexistent/body.txt']);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain('cannot read the body from /nonexistent/body.txt: no such file');
  });
});
