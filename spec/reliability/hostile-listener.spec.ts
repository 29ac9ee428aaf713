import { expect } from 'chai';
import fc from 'fast-check';
import { BSON } from 'bson';
import { decodeBody } from '../../src/codec/body.js';
import { BinarySubscriber, DataSubscriber, PlaintextSubscriber } from '../../src/dispatch/data-subscribers.js';
import { EventSubscriber } from '../../src/dispatch/event-subscriber.js';
import { listenUntil, sendBodies, startTestServer, testListener } from '../listener/listener-helpers.js';
import type { TestServer } from '../support/fauxqs.js';
import { isEmpty, queueDepth, recordFigures } from './support.js';

// Hostile bodies through the whole listener on a real queue: whatever arrives, the listener stays up,
// never fails before dispatch, deletes what it can read and dead-letters what it cannot, as documented.
// SQS only accepts XML characters in bodies, so generated text is limited to those.
const sqsText = (s: string) => s.replace(/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd]/gu, '').replace(/[\ud800-\udfff]/g, '');

const hostileBodies = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }).map(sqsText),
  fc.uint8Array({ minLength: 1, maxLength: 300 }).map((b) => Buffer.from(b).toString('base64')),
  fc.tuple(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([doc, at, v]) => {
    const bytes = Buffer.from(BSON.serialize(doc));
    bytes[at % bytes.length] = v;
    return bytes.toString('base64');
  }),
  fc.nat({ max: 5_000 }).map((n) => '{"a":' + '['.repeat(n) + ']'.repeat(n) + '}'),
  fc.jsonValue().map((v) => JSON.stringify({ protocol: 'mega', version: 1, event: v })),
  fc.jsonValue().map((v) => JSON.stringify({ Type: 'Notification', MessageId: 'm', TopicArn: 'arn:aws:sns:us-east-1:1:t', Timestamp: '2024-01-01T00:00:00Z', Message: JSON.stringify(v), MessageAttributes: Object.fromEntries([['__proto__', { Type: 'String', Value: v }]]) })),
);

describe('reliability: hostile bodies through the listener (real queue)', function () {
  this.timeout(30_000);
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });

  it('reads, deletes or dead-letters every hostile body without a single processing error', async () => {
    const bodies = fc.sample(hostileBodies, { numRuns: 300, seed: 42 }).filter((b) => b.length > 0);
    const expectedInvalid = bodies.filter((b) => decodeBody(b).kind === 'invalid').length;
    const dlqUrl = await server.createQueue({ name: 'hostile-dlq' });
    const queueUrl = await server.createQueue({ name: 'hostile' });
    await sendBodies(server, queueUrl, bodies);
    let handled = 0;
    class AnyEvent extends EventSubscriber {
      process() {
        handled += 1;
      }
    }
    class AnyData extends DataSubscriber {
      process() {
        handled += 1;
      }
    }
    class AnyText extends PlaintextSubscriber {
      process() {
        handled += 1;
      }
    }
    class AnyBytes extends BinarySubscriber {
      process() {
        handled += 1;
      }
    }
    const { listener, lines, events } = testListener(server, queueUrl, { deadLetterQueueUrl: dlqUrl });
    for (const s of [AnyEvent, AnyData, AnyText, AnyBytes]) listener.registerSubscriber(s);
    await listenUntil(listener, () => events.message_deleted.length === bodies.length, 20_000);

    expect(events.error.map((e) => `${e.stage}: ${e.error.message}`)).to.deep.equal([]);
    expect(lines.filter((l) => l.level === 'error')).to.deep.equal([]);
    expect(handled + events.message_dead_lettered.length).to.equal(bodies.length);
    expect(events.message_dead_lettered.length).to.equal(expectedInvalid);
    expect(isEmpty(await queueDepth(server.sqs, queueUrl))).to.equal(true);
    expect((await queueDepth(server.sqs, dlqUrl)).visible).to.equal(expectedInvalid);
    recordFigures('hostile-listener', {
      messagesSent: bodies.length,
      processed: handled,
      deadLettered: events.message_dead_lettered.length,
      errors: events.error.length,
      lost: bodies.length - events.message_deleted.length,
    });
  });
});
