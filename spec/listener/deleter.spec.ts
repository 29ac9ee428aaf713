import { expect } from 'chai';
import sinon from 'sinon';
import { Backoff } from '../../src/aws/backoff.js';
import { DeleteBatcher } from '../../src/listener/deleter.js';
import { allSuccessful, fakeSqs, tick } from './listener-fakes.js';

const fastBackoff = () => new Backoff(1, 5, () => 0);
/** A delete as a promise of what the batcher tells its callback. */
const del = (batcher: DeleteBatcher, messageId: string, receiptHandle: string) => new Promise<boolean>((settled) => batcher.delete(messageId, receiptHandle, settled));

describe('listener/deleter', () => {
  it('sends a full batch of 10 at once and a partial batch after the flush delay', async () => {
    const sqs = fakeSqs({ DeleteMessageBatchCommand: allSuccessful });
    const batcher = new DeleteBatcher(sqs.client, 'q', { flushDelayMs: 30, onError: () => {} });
    const results = Array.from({ length: 13 }, (_, i) => del(batcher, `m${i}`, `rh${i}`));
    await tick();
    expect(sqs.of('DeleteMessageBatchCommand').map((c) => c.input.Entries.length)).to.deep.equal([10]);
    expect(await Promise.all(results)).to.deep.equal(Array(13).fill(true));
    const calls = sqs.of('DeleteMessageBatchCommand');
    expect(calls.map((c) => c.input.Entries.length)).to.deep.equal([10, 3]);
    expect(calls[1]?.input.Entries.map((e: { ReceiptHandle: string }) => e.ReceiptHandle)).to.deep.equal(['rh10', 'rh11', 'rh12']);
    expect(calls[0]?.input.QueueUrl).to.equal('q');
  });

  it('leaves no flush timer behind once a full batch has gone out', async () => {
    const sqs = fakeSqs({ DeleteMessageBatchCommand: allSuccessful });
    const clock = sinon.useFakeTimers();
    try {
      const batcher = new DeleteBatcher(sqs.client, 'q', { flushDelayMs: 30, onError: () => {} });
      const results = Array.from({ length: 10 }, (_, i) => del(batcher, `m${i}`, `rh${i}`));
      expect(clock.countTimers()).to.equal(1); // the request's deadline, and no flush timer
      await clock.tickAsync(0);
      expect(await Promise.all(results)).to.deep.equal(Array(10).fill(true));
    } finally {
      clock.restore();
    }
  });

  it('retries a failed request and then succeeds, reporting the failure', async () => {
    let failures = 2;
    const sqs = fakeSqs({
      DeleteMessageBatchCommand: (input) => {
        if (failures-- > 0) throw new Error('throttled');
        return allSuccessful(input);
      },
    });
    const errors: [string, string[], boolean][] = [];
    const batcher = new DeleteBatcher(sqs.client, 'q', { flushDelayMs: 1, backoff: fastBackoff(), onError: (e, ids, final) => errors.push([e.message, ids, final]) });
    expect(await del(batcher, 'a', 'rha')).to.equal(true);
    expect(sqs.of('DeleteMessageBatchCommand')).to.have.length(3);
    expect(errors).to.deep.equal([
      ['throttled', ['a'], false],
      ['throttled', ['a'], false],
    ]);
  });

  it('retries only the entries that failed on the server side and gives up on sender faults', async () => {
    const sqs = fakeSqs({
      DeleteMessageBatchCommand: (input) => {
        const entries: { Id: string; ReceiptHandle: string }[] = input.Entries;
        return {
          Successful: entries.filter((e) => e.ReceiptHandle === 'ok' || sqs.sent.length > 1).filter((e) => e.ReceiptHandle !== 'bad').map((e) => ({ Id: e.Id })),
          Failed: entries
            .filter((e) => (e.ReceiptHandle === 'flaky' && sqs.sent.length === 1) || e.ReceiptHandle === 'bad')
            .map((e) => ({ Id: e.Id, SenderFault: e.ReceiptHandle === 'bad', Code: e.ReceiptHandle === 'bad' ? 'ReceiptHandleIsInvalid' : 'InternalError' })),
        };
      },
    });
    const errors: [string[], boolean][] = [];
    const batcher = new DeleteBatcher(sqs.client, 'q', { flushDelayMs: 1, backoff: fastBackoff(), onError: (_e, ids, final) => errors.push([ids, final]) });
    const results = await Promise.all([del(batcher, 'ok', 'ok'), del(batcher, 'flaky', 'flaky'), del(batcher, 'bad', 'bad')]);
    expect(results).to.deep.equal([true, true, false]);
    expect(errors).to.deep.include([['bad'], true]);
    expect(errors).to.deep.include([['flaky'], false]);
    expect(sqs.of('DeleteMessageBatchCommand')[1]?.input.Entries.map((e: { ReceiptHandle: string }) => e.ReceiptHandle)).to.deep.equal(['flaky']);
  });

  it('gives up after maxAttempts and says so, so the message is redelivered rather than lost silently', async () => {
    const sqs = fakeSqs({ DeleteMessageBatchCommand: () => Promise.reject(new Error('down')) });
    const finals: string[][] = [];
    const batcher = new DeleteBatcher(sqs.client, 'q', { flushDelayMs: 1, maxAttempts: 3, backoff: fastBackoff(), onError: (_e, ids, final) => final && finals.push(ids) });
    expect(await del(batcher, 'x', 'rhx')).to.equal(false);
    expect(sqs.of('DeleteMessageBatchCommand')).to.have.length(3);
    expect(finals).to.deep.equal([['x']]);
  });

  it('retries entries the response does not mention', async () => {
    let first = true;
    const sqs = fakeSqs({
      DeleteMessageBatchCommand: (input) => {
        if (first) {
          first = false;
          return { Successful: [], Failed: [] };
        }
        return allSuccessful(input);
      },
    });
    const batcher = new DeleteBatcher(sqs.client, 'q', { flushDelayMs: 1, backoff: fastBackoff(), onError: () => {} });
    expect(await del(batcher, 'm', 'rh')).to.equal(true);
    expect(sqs.of('DeleteMessageBatchCommand')).to.have.length(2);
  });

  it('flush sends pending deletes at once and waits for every outstanding one', async () => {
    const sqs = fakeSqs({ DeleteMessageBatchCommand: async (input) => (await tick(20), allSuccessful(input)) });
    const batcher = new DeleteBatcher(sqs.client, 'q', { flushDelayMs: 60_000, onError: () => {} });
    let settled = 0;
    for (let i = 0; i < 4; i += 1) void del(batcher, `m${i}`, `rh${i}`).then(() => (settled += 1));
    expect(await batcher.flush(5_000)).to.deep.equal([]);
    expect(settled).to.equal(4);
    expect(sqs.of('DeleteMessageBatchCommand')).to.have.length(1);
    expect(await batcher.flush(5_000)).to.deep.equal([]);
  });

  it('flush gives up at its limit: cancels the request in flight, drops retries, refuses later deletes', async () => {
    let cancelled = 0;
    const sqs = fakeSqs({
      DeleteMessageBatchCommand: (input, options) =>
        input.Entries.length === 1
          ? Promise.reject(new Error('refused'))
          : new Promise((_resolve, reject) => options?.abortSignal?.addEventListener('abort', () => (cancelled += 1, reject(new Error('aborted'))))),
    });
    const errors: boolean[] = [];
    const batcher = new DeleteBatcher(sqs.client, 'q', { flushDelayMs: 1, backoff: new Backoff(60_000, 60_000, () => 1), onError: (_e, _ids, final) => errors.push(final) });
    const hung = [del(batcher, 'a', 'rha'), del(batcher, 'b', 'rhb')];
    await tick(5);
    const refused = del(batcher, 'c', 'rhc'); // fails once, then waits a minute to retry
    await tick(5);
    expect(await batcher.flush(30)).to.have.members(['a', 'b', 'c']);
    expect(await Promise.all([...hung, refused])).to.deep.equal([false, false, false]);
    expect(cancelled).to.equal(1);
    expect(await del(batcher, 'd', 'rhd')).to.equal(false);
    const requests = sqs.of('DeleteMessageBatchCommand').length;
    await tick(20);
    expect(sqs.of('DeleteMessageBatchCommand')).to.have.length(requests);
    // Only the one refusal was reported as an error; giving up is the flush caller's to report.
    expect(errors).to.deep.equal([false]);
  });

  it('flush ends at once when cut, whatever time it had left', async () => {
    const sqs = fakeSqs({ DeleteMessageBatchCommand: (_input, options) => new Promise((_resolve, reject) => options?.abortSignal?.addEventListener('abort', () => reject(new Error('aborted')))) });
    const batcher = new DeleteBatcher(sqs.client, 'q', { flushDelayMs: 1, onError: () => {} });
    const deleted = del(batcher, 'a', 'rha');
    const cut = new AbortController();
    const flushing = batcher.flush(60_000, cut.signal);
    await tick(5);
    cut.abort();
    expect(await flushing).to.deep.equal(['a']);
    expect(await deleted).to.equal(false);
  });

  it('abandons a hung DeleteMessageBatch after its timeout and retries it, so flush cannot hang', async () => {
    let n = 0;
    const sqs = fakeSqs({
      DeleteMessageBatchCommand: (input, options) => {
        n += 1;
        if (n === 1) return new Promise((_resolve, reject) => options?.abortSignal?.addEventListener('abort', () => reject(options.abortSignal?.reason)));
        return allSuccessful(input);
      },
    });
    const errors: string[] = [];
    const batcher = new DeleteBatcher(sqs.client, 'q', { flushDelayMs: 1, requestTimeoutMs: 30, backoff: fastBackoff(), onError: (e) => errors.push(e.name) });
    const deleted = del(batcher, 'm', 'rh');
    expect(await batcher.flush(5_000)).to.deep.equal([]);
    expect(await deleted).to.equal(true);
    expect(errors).to.have.length(1);
  });
});
