import { expect } from 'chai';
import { Heartbeat } from '../../src/aws/heartbeat.js';
import { allSuccessful, fakeSqs } from './listener-fakes.js';

describe('aws/heartbeat', () => {
  it('extends only due messages, in batches of 10, to the full visibility timeout', async () => {
    const sqs = fakeSqs({ ChangeMessageVisibilityBatchCommand: allSuccessful });
    const extended: string[] = [];
    const hb = new Heartbeat(sqs.client, 'q', { visibilityTimeout: 30, fraction: 0.5, onError: () => {}, onExtended: (ids) => extended.push(...ids) });
    const t0 = 1_000_000;
    for (let i = 0; i < 12; i += 1) hb.track(`old${i}`, `rh${i}`, t0);
    hb.track('young', 'rhy', t0 + 10_000);
    await hb.tick(t0 + 14_999);
    expect(sqs.sent).to.have.length(0);
    await hb.tick(t0 + 15_000);
    const calls = sqs.of('ChangeMessageVisibilityBatchCommand');
    expect(calls.map((c) => c.input.Entries.length)).to.deep.equal([10, 2]);
    expect(calls[0]?.input.Entries[0]).to.deep.include({ ReceiptHandle: 'rh0', VisibilityTimeout: 30 });
    expect(extended).to.have.length(12);
    expect(extended).to.not.include('young');
    // The extended ones are not due again until another period has passed.
    sqs.sent.length = 0;
    await hb.tick(t0 + 25_001);
    expect(sqs.sent.flatMap((c) => c.input.Entries.map((e: { ReceiptHandle: string }) => e.ReceiptHandle))).to.deep.equal(['rhy']);
  });

  it('stops extending a message once it is untracked', async () => {
    const sqs = fakeSqs({ ChangeMessageVisibilityBatchCommand: allSuccessful });
    const hb = new Heartbeat(sqs.client, 'q', { visibilityTimeout: 2, fraction: 0.5, onError: () => {} });
    const entry = hb.track('m', 'rh', 0);
    hb.untrack(entry);
    await hb.tick(10_000);
    expect(sqs.sent).to.have.length(0);
    expect(hb.size).to.equal(0);
  });

  it('reports failures and keeps the message due for the next tick', async () => {
    let fail = true;
    const sqs = fakeSqs({
      ChangeMessageVisibilityBatchCommand: (input) => {
        if (fail) throw new Error('network');
        return allSuccessful(input);
      },
    });
    const errors: string[][] = [];
    const hb = new Heartbeat(sqs.client, 'q', { visibilityTimeout: 2, fraction: 0.5, onError: (_e, ids) => errors.push(ids) });
    hb.track('m', 'rh', 0);
    await hb.tick(5_000);
    expect(errors).to.deep.equal([['m']]);
    fail = false;
    await hb.tick(5_001);
    expect(sqs.of('ChangeMessageVisibilityBatchCommand')).to.have.length(2);
  });

  it('is disabled with a zero visibility timeout', () => {
    const sqs = fakeSqs();
    const hb = new Heartbeat(sqs.client, 'q', { visibilityTimeout: 0, fraction: 0.5, onError: () => {} });
    hb.track('m', 'rh', 0);
    expect(hb.enabled).to.equal(false);
    expect(hb.size).to.equal(0);
  });

  it('does not report failures for messages that finished while the extension was out', async () => {
    let finish: () => void = () => {};
    const sqs = fakeSqs({
      ChangeMessageVisibilityBatchCommand: async (input) => {
        finish();
        return { Successful: [], Failed: input.Entries.map((e: { Id: string }) => ({ Id: e.Id, SenderFault: true, Code: 'ReceiptHandleIsInvalid' })) };
      },
    });
    const errors: string[][] = [];
    const hb = new Heartbeat(sqs.client, 'q', { visibilityTimeout: 2, fraction: 0.5, onError: (_e, ids) => errors.push(ids) });
    const done = hb.track('done', 'rh1', 0);
    hb.track('running', 'rh2', 0);
    finish = () => hb.untrack(done);
    await hb.tick(5_000);
    expect(errors).to.deep.equal([['running (ReceiptHandleIsInvalid)']]);
  });

  it('settled() waits for an extension in flight, and overlapping ticks share one round', async () => {
    let answer: () => void = () => {};
    const sqs = fakeSqs({ ChangeMessageVisibilityBatchCommand: (input) => new Promise((resolve) => (answer = () => resolve(allSuccessful(input)))) });
    const hb = new Heartbeat(sqs.client, 'q', { visibilityTimeout: 2, fraction: 0.5, onError: () => {} });
    hb.track('m', 'rh', 0);
    const first = hb.tick(5_000);
    const second = hb.tick(5_000);
    let settled = false;
    const waiting = hb.settled().then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(settled).to.equal(false);
    expect(sqs.sent).to.have.length(1);
    answer();
    await Promise.all([first, second, waiting]);
    expect(settled).to.equal(true);
    await hb.settled();
  });
});
