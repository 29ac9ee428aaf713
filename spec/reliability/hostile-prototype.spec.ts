import { expect } from 'chai';
import fc from 'fast-check';
import { BSON } from 'bson';
import { decodeBody } from '../../src/codec/body.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import { EventSubscriber } from '../../src/dispatch/event-subscriber.js';
import { TestClient } from '../../src/dispatch/test-client.js';
import { any } from '../../src/match/dsl.js';
import { compile, matches } from '../../src/match/compile.js';
import type { Pattern } from '../../src/match/pattern.js';
import type { MessageContext } from '../../src/dispatch/context.js';
import type { DataObject } from '../../src/protocol/types.js';
import { listenUntil, sendBodies, startTestServer, testListener } from '../listener/listener-helpers.js';

// No key in a payload or a pattern may change a prototype: not `__proto__`, not `constructor`, not
// `prototype`, at any depth, through JSON, BSON, the SNS envelope, MEGA parsing, matching or dispatch.
const DANGEROUS = ['__proto__', 'constructor', 'prototype'] as const;

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype, Number.prototype, Date.prototype, Error.prototype];

function snapshot(): string[][] {
  return PROTOTYPES.map((proto) => Reflect.ownKeys(proto).map(String).sort());
}

function assertUntouched(before: string[][]): void {
  expect(snapshot()).to.deep.equal(before);
  const probe: Record<string, unknown> = {};
  for (const key of ['polluted', 'isAdmin', 'x', 'a']) expect(probe[key], `({}).${key}`).to.equal(undefined);
}

/** JSON text whose objects use the dangerous keys (written as text: JSON.parse makes them own keys). */
const hostileJson: fc.Arbitrary<string> = fc.letrec<{ value: string; object: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('1', '"x"', 'true', 'null', '{"polluted":true}', '[1,{"isAdmin":true}]'),
    tie('object'),
  ),
  object: fc
    .array(fc.tuple(fc.constantFrom(...DANGEROUS, 'a', 'event', 'protocol', 'x'), tie('value')), { maxLength: 4 })
    .map((entries) => `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
})).object;

function megaWith(inner: string): string {
  return `{"protocol":"mega","version":1,"__proto__":${inner},"event":{"name":"x","timestamp":"2024-01-01T00:00:00Z","__proto__":${inner},"constructor":${inner},"attributes":${inner}},"object":{"current":${inner},"previous":{"__proto__":${inner}}},"extra":${inner}}`;
}

describe('reliability: prototype pollution (payloads and patterns)', function () {
  this.timeout(30_000);

  it('decoding JSON, MEGA, SNS-wrapped and BSON payloads with __proto__/constructor/prototype keys changes no prototype', () => {
    const before = snapshot();
    fc.assert(
      fc.property(hostileJson, (json) => {
        const bodies = [json, megaWith(json), JSON.stringify({ Type: 'Notification', MessageId: 'm', TopicArn: 'arn:aws:sns:us-east-1:1:t', Message: json, Timestamp: '2024-01-01T00:00:00Z' })];
        for (const body of bodies) {
          const decoded = decodeBody(body);
          if (decoded.kind === 'data' || decoded.kind === 'mega') {
            expect(Object.getPrototypeOf(decoded.payload)).to.be.oneOf([Object.prototype, null]);
          }
        }
        // The same objects as BSON: a __proto__ key there must be data too.
        const parsed = JSON.parse(json) as Record<string, unknown>;
        decodeBody(Buffer.from(BSON.serialize(parsed)).toString('base64'));
        assertUntouched(before);
        return true;
      }),
      { numRuns: 800 },
    );
  });

  it('keeps a __proto__ key as an own data property, readable by subscribers, never as the prototype', () => {
    const decoded = decodeBody('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"kind":"x"}');
    expect(decoded.kind).to.equal('data');
    const payload = (decoded as { payload: DataObject }).payload;
    expect(Object.getPrototypeOf(payload)).to.be.oneOf([Object.prototype, null]);
    expect(Object.prototype.hasOwnProperty.call(payload, '__proto__')).to.equal(true);
    expect((payload as Record<string, unknown>).polluted).to.equal(undefined);
    const mega = decodeBody(megaWith('{"polluted":true}'));
    expect(mega.kind).to.equal('mega');
    expect(({} as Record<string, unknown>).polluted).to.equal(undefined);
  });

  it('patterns with dangerous keys compile without side effects and match own properties only', () => {
    const before = snapshot();
    const proto = JSON.parse('{"__proto__":{"polluted":true}}') as Pattern;
    const ctor = { constructor: any() } as Pattern;
    const protoKey = { prototype: any() } as Pattern;
    for (const p of [proto, ctor, protoKey, { a: proto }, { constructor: { prototype: { polluted: true } } } as Pattern]) compile(p);
    assertUntouched(before);
    // Inherited members are never matches: {} has a constructor and a __proto__, but not as own keys.
    expect(matches({}, ctor)).to.equal(false);
    expect(matches({}, proto)).to.equal(false);
    expect(matches(Object.create({ prototype: 1 }) as object, protoKey)).to.equal(false);
    expect(matches(JSON.parse('{"__proto__":{"polluted":true}}'), proto)).to.equal(true);
    expect(matches({ constructor: 'x' }, ctor)).to.equal(true);
  });

  it('random patterns and values with dangerous keys: matching changes nothing and never throws', () => {
    const before = snapshot();
    fc.assert(
      fc.property(hostileJson, hostileJson, (p, v) => {
        const pattern = JSON.parse(p) as Pattern;
        let compiled: ((value: unknown) => boolean) | undefined;
        try {
          compiled = compile(pattern);
        } catch (error) {
          expect((error as Error).name).to.match(/PatternError/);
        }
        compiled?.(JSON.parse(v));
        assertUntouched(before);
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it('end to end through a subscriber: the payload it receives cannot reach any prototype', async () => {
    const before = snapshot();
    const seen: DataObject[] = [];
    class Everything extends DataSubscriber {
      process(payload: DataObject) {
        // A careless subscriber merging the payload into a fresh object must not pollute either.
        seen.push(Object.assign({}, payload));
      }
    }
    class Events extends EventSubscriber {
      attributes = JSON.parse('{"__proto__":{"polluted":true}}') as Record<string, Pattern>;
      process() {}
    }
    const client = new TestClient([Everything, Events]);
    await client.send('{"__proto__":{"polluted":true,"isAdmin":true},"constructor":{"prototype":{"polluted":true}}}');
    const outcome = await client.send(megaWith('{"polluted":true}'));
    expect(outcome.matched).to.deep.equal(['Events']);
    expect(seen).to.have.length(1);
    assertUntouched(before);
  });

  // Found by this spec: the listener used to throw on such a message (its attribute arrives from the
  // SDK without a value) and redelivered it forever instead of processing it.
  it('end to end on a real queue: message attributes named __proto__ and constructor stay data, the message is processed', async () => {
    const before = snapshot();
    const server = await startTestServer();
    const queueUrl = await server.createQueue({ name: 'proto-attributes' });
    // fromEntries makes `__proto__` an own key (an object literal would set the prototype instead).
    const attributes = Object.fromEntries([
      ['__proto__', { DataType: 'String', StringValue: '{"polluted":true}' }],
      ['constructor', { DataType: 'String', StringValue: 'x' }],
      ['prototype', { DataType: 'String', StringValue: 'y' }],
    ]);
    await sendBodies(server, queueUrl, ['{"__proto__":{"polluted":true},"kind":"x"}'], attributes);
    const seen: MessageContext[] = [];
    class Everything extends DataSubscriber {
      process(_payload: DataObject, context: MessageContext) {
        seen.push(context);
      }
    }
    const { listener, lines } = testListener(server, queueUrl);
    listener.registerSubscriber(Everything);
    await listenUntil(listener, () => seen.length === 1);
    expect(lines.filter((l) => l.level === 'error'), 'errors logged').to.deep.equal([]);
    const received = seen[0]?.messageAttributes ?? {};
    expect(Object.getPrototypeOf(received)).to.be.oneOf([Object.prototype, null]);
    // The SDK delivers the value of an attribute named __proto__ as undefined; the listener skips it.
    expect(received.constructor).to.equal('x');
    expect(received.prototype).to.equal('y');
    assertUntouched(before);
  });
});
