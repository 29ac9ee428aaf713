// Codec overhead: decodeBody / encodePayload against the bare parse or serialise of the same bytes.
// The ratio is our time over the bare time (lower is better), so "<= 1.3" means at most 30% extra.
import { deserialize, serialize } from 'bson';
import { decodeBody } from '../src/codec/body.js';
import { encodePayload } from '../src/codec/encode.js';
import type { MegaPayload } from '../src/protocol/types.js';
import { megaWireObject } from './support/bodies.js';
import {
  type BenchOptions,
  type BenchResult,
  type TargetRow,
  calibrate,
  interleave,
  isMain,
  nsPerOp,
  parseOptions,
  printResult,
  targetRow,
} from './harness.js';

const RAW_JSON_TARGET = 1.3;

/** A MEGA payload of about `bytes` of JSON, made big the way real ones are: many small line items. */
function wireOfSize(bytes: number): Record<string, unknown> {
  const wire = megaWireObject(7, 0);
  const current = (wire.object as { current: { lines: unknown[] } }).current;
  let i = 0;
  while (JSON.stringify(wire).length < bytes) {
    current.lines.push({ sku: `SKU-${1000 + i}`, qty: (i % 5) + 1, price: 9.99 + i, gift: i % 7 === 0, name: `item ${i}` });
    i++;
  }
  return wire;
}

function snsEnvelope(message: string): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: '0f3c3f7e-6d1c-4a53-9b0e-2b2b7f8a9d11',
    TopicArn: 'arn:aws:sns:us-east-1:000000000000:orders',
    Message: message,
    Timestamp: '2026-01-01T00:00:00.000Z',
    SignatureVersion: '1',
    Signature: 'c2lnbmF0dXJl',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/cert.pem',
    UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
  });
}

interface Case {
  name: string;
  ours: () => unknown;
  bare: () => unknown;
  /** Set when the ratio is a target (raw JSON decode). */
  target?: number;
}

function cases(label: string, bytes: number): Case[] {
  const wire = wireOfSize(bytes);
  const json = JSON.stringify(wire);
  const decoded = decodeBody(json);
  if (decoded.kind !== 'mega') throw new Error(`codec bench fixture did not decode as MEGA: ${decoded.kind}`);
  const payload: MegaPayload = decoded.payload;
  const b64 = encodePayload(payload, { binaryEncoding: true });
  if (decodeBody(b64).kind !== 'mega') throw new Error('codec bench BSON fixture did not decode as MEGA');
  const sns = snsEnvelope(json);
  if (decodeBody(sns).kind !== 'mega') throw new Error('codec bench SNS fixture did not decode as MEGA');
  const data = JSON.stringify({ ...wire, protocol: undefined, version: undefined });
  if (decodeBody(data).kind !== 'data') throw new Error('codec bench data fixture did not decode as data');
  return [
    { name: `decode raw JSON MEGA ${label}`, ours: () => decodeBody(json), bare: () => JSON.parse(json), target: RAW_JSON_TARGET },
    { name: `decode raw JSON data ${label}`, ours: () => decodeBody(data), bare: () => JSON.parse(data), target: RAW_JSON_TARGET },
    { name: `decode base64 BSON MEGA ${label}`, ours: () => decodeBody(b64), bare: () => deserialize(Buffer.from(b64, 'base64')) },
    { name: `decode SNS-enveloped JSON MEGA ${label}`, ours: () => decodeBody(sns), bare: () => JSON.parse(JSON.parse(sns).Message) },
    { name: `encode JSON MEGA ${label}`, ours: () => encodePayload(payload), bare: () => JSON.stringify(payload) },
    {
      name: `encode base64 BSON MEGA ${label}`,
      ours: () => encodePayload(payload, { binaryEncoding: true }),
      bare: () => Buffer.from(serialize(payload)).toString('base64'),
    },
  ];
}

export async function runCodecBench({ quick }: BenchOptions): Promise<BenchResult> {
  const rounds = quick ? 5 : 15;
  const rows: (string | number)[][] = [];
  const targets: TargetRow[] = [];
  const roundMs = quick ? 15 : 40;
  for (const [label, bytes] of [
    ['1 KiB', 1024],
    ['64 KiB', 65536],
  ] as const) {
    for (const c of cases(label, bytes)) {
      // Both sides run the same number of calls per round, sized so that the bare side takes ~roundMs.
      const iterations = calibrate(c.bare, roundMs);
      const r = await interleave(
        [
          { name: 'ours', round: () => nsPerOp(c.ours, iterations) },
          { name: 'bare', round: () => nsPerOp(c.bare, iterations) },
        ],
        { warmup: 3, rounds },
      );
      const ours = r['ours']!;
      const bare = r['bare']!;
      rows.push([c.name, ours.median / 1000, bare.median / 1000, ours.median / bare.median, `${fmtUs(ours.min)}-${fmtUs(ours.max)}`]);
      if (c.target !== undefined) {
        targets.push(
          targetRow({
            name: `codec: ${c.name} vs JSON.parse`,
            value: ours.median / 1000, baseline: bare.median / 1000, min: ours.min / 1000, max: ours.max / 1000,
            goal: 'ratio<=', target: c.target, unit: 'µs/op',
          }),
        );
      }
    }
  }
  return {
    title: `Codec (${rounds} rounds, medians; ratio = ours / bare, lower is better)`,
    table: { head: ['case', 'ours µs/op', 'bare µs/op', 'ratio', 'ours min-max µs'], rows },
    targets,
    notes: [
      'decodeBody validates MEGA payloads (schema, timestamps, depth); the bare baseline only parses.',
      'BSON baselines include the base64 step (Buffer.from(b64, "base64") / toString("base64")), since SQS bodies are text.',
      'The SNS baseline parses the envelope and then its Message, as a hand-written consumer would.',
    ],
  };
}

function fmtUs(ns: number): string {
  return (ns / 1000).toPrecision(3);
}

if (isMain(import.meta.url)) {
  printResult(await runCodecBench(parseOptions()));
}
