import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { decodeBody } from '../../src/codec/body.js';
import type { Decoded } from '../../src/codec/decoded.js';
import { toWireObject } from '../../src/protocol/wire.js';

interface Vector {
  name: string;
  body: string;
  expected: {
    kind: string;
    encoding: string;
    snsEnvelope: { type: string; messageId: string; topicArn: string; timestamp: string; subject: string | null } | null;
    payload: unknown;
  };
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/python-reference.json', import.meta.url), 'utf8')) as { vectors: Vector[] };

// The vectors write MEGA timestamps as the Python implementation sent them (naive UTC, microseconds);
// the decoded payload holds a Date, so compare instants, truncated to the millisecond.
function expectedWire(payload: Record<string, unknown>): Record<string, unknown> {
  const event = payload.event as Record<string, unknown>;
  const naive = String(event.timestamp);
  const instant = new Date(`${naive.slice(0, 23)}Z`);
  return { ...payload, event: { ...event, timestamp: instant.toISOString() } };
}

function actualPayload(decoded: Decoded): unknown {
  switch (decoded.kind) {
    case 'mega':
      return toWireObject(decoded.payload);
    case 'binary':
      return { base64: Buffer.from(decoded.payload).toString('base64') };
    case 'invalid':
      return decoded.error.message;
    default:
      return decoded.payload;
  }
}

describe('codec: Python reference vectors (real SQS/SNS traffic)', () => {
  // Naive timestamps must read as UTC in any process time zone, so run these far from UTC.
  let savedTz: string | undefined;
  before(() => {
    savedTz = process.env.TZ;
    process.env.TZ = 'Asia/Kolkata';
  });
  after(() => {
    if (savedTz === undefined) delete process.env.TZ;
    else process.env.TZ = savedTz;
  });

  it('has all 33 vectors', () => {
    expect(fixture.vectors).to.have.length(33);
  });

  for (const vector of fixture.vectors) {
    it(`decodes ${vector.name}`, () => {
      const decoded = decodeBody(vector.body);
      const { expected } = vector;
      expect(decoded.kind).to.equal(expected.kind);
      expect(decoded.encoding).to.equal(expected.encoding);
      if (expected.snsEnvelope === null) {
        expect(decoded.envelope).to.equal(undefined);
      } else {
        const { subject, ...rest } = expected.snsEnvelope;
        const envelope = subject === null ? rest : { ...rest, subject };
        expect(decoded.envelope).to.deep.equal(envelope);
      }
      const payload = expected.kind === 'mega' ? expectedWire(expected.payload as Record<string, unknown>) : expected.payload;
      expect(actualPayload(decoded)).to.deep.equal(payload);
    });
  }
});
