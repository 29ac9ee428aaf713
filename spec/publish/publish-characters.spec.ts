import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import { SqsPublisher } from '../../src/publish/publish-sqs.js';
import { decodeBody } from '../../src/codec/body.js';
import { startTestServer, type TestServer } from '../support/fauxqs.js';

// Characters SQS refuses in a body. (No emoji here: fauxqs wrongly refuses surrogate pairs too.)
const data = { note: 'a\uFFFEb\uFFFFc', lone: 'x\uD800y\uDC00z', control: 'nul\u0000esc\u001B' };

describe('publishing characters SQS refuses (against fauxqs, which validates them)', () => {
  let server: TestServer;
  let queueUrl: string;

  before(async () => {
    server = await startTestServer();
  });
  beforeEach(async () => {
    queueUrl = await server.createQueue({ name: 'chars' });
  });

  it('the raw JSON.stringify form is refused with InvalidMessageContents', async () => {
    const error = await server.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(data) })).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.name).to.match(/InvalidMessageContents/);
  });

  it('publish and publishBatch escape them, and the subscriber sees the same strings', async () => {
    const publisher = new SqsPublisher({ queueUrl, endpoint: server.endpoint });
    await publisher.publish(data);
    const batch = await publisher.publishBatch([data, data]);
    expect(batch.failed).to.deep.equal([]);
    const received = await server.receiveAll(queueUrl, { min: 3 });
    expect(received.map((m) => decodeBody(m.Body ?? ''))).to.deep.equal(Array(3).fill({ kind: 'data', encoding: 'json', payload: data }));
  });
});
