import { expect } from 'chai';
import sinon from 'sinon';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { isTransient, packBatches, runBatches, type BatchResponse, type NextBatch, type PublishBatchEntry, type SendBatch } from '../../src/publish/batch.js';
import { finishBatch } from '../../src/publish/batch-prepare.js';
import { SqsPublisher } from '../../src/publish/publish-sqs.js';
import { PublishError } from '../../src/publish/publish-errors.js';
import type { PreparedMessage } from '../../src/publish/publish-message.js';

function message(index: number, bytes = 10): PreparedMessage {
  return { index, body: `m${index}`, bytes, attributes: undefined, groupId: undefined, deduplicationId: undefined };
}

const FAST = { concurrency: 4, maxAttempts: 3, retryBaseDelayMs: 1 };

function stream(messages: PreparedMessage[]): () => PreparedMessage | undefined {
  let i = 0;
  return () => messages[i++];
}

/** Every batch the packer hands out, until it has none left. */
function drain(next: NextBatch): PreparedMessage[][] {
  const batches: PreparedMessage[][] = [];
  for (let batch = next(); batch !== undefined; batch = next()) batches.push(batch);
  return batches;
}

function only(...batches: PreparedMessage[][]): NextBatch {
  let i = 0;
  return () => batches[i++];
}

function allOk(entries: readonly PreparedMessage[]): BatchResponse {
  return { successful: entries.map((m, id) => ({ id, messageId: `id-${m.index}` })), failed: [] };
}

function throttled(): Error {
  return Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $retryable: { throttling: true }, $metadata: { httpStatusCode: 400 } });
}

describe('batch publishing (unit, stubbed service)', () => {
  describe('packBatches', () => {
    it('pulls messages only as requests are filled', () => {
      let pulled = 0;
      const next = packBatches(() => (pulled < 25 ? message(pulled++) : undefined), 10, 1000);
      expect(pulled).to.equal(0);
      expect(next()).to.have.length(10);
      expect(pulled).to.equal(10);
    });

    it('splits by entry count and by bytes, keeping order', () => {
      const messages = Array.from({ length: 23 }, (_, i) => message(i));
      expect(drain(packBatches(stream(messages), 10, 1000)).map((b) => b.length)).to.deep.equal([10, 10, 3]);
      const sized = [400, 400, 300, 1000, 1, 999, 500].map((bytes, i) => message(i, bytes));
      const batches = drain(packBatches(stream(sized), 10, 1000));
      expect(batches.map((b) => b.map((m) => m.index))).to.deep.equal([[0, 1], [2], [3], [4, 5], [6]]);
      for (const batch of batches) expect(batch.reduce((sum, m) => sum + m.bytes, 0)).to.be.at.most(1000);
    });
  });

  describe('runBatches', () => {
    it('retries entries failed without sender fault and reports sender faults at once', async () => {
      const calls: number[][] = [];
      const send: SendBatch = async (entries) => {
        calls.push(entries.map((m) => m.index));
        if (calls.length === 1) {
          return {
            successful: [{ id: 0, messageId: 'id-0' }],
            failed: [
              { id: 1, code: 'InternalError', message: 'try again', senderFault: false },
              { id: 2, code: 'InvalidMessageContents', message: 'bad', senderFault: true },
            ],
          };
        }
        return allOk(entries);
      };
      const results: PublishBatchEntry[] = new Array(3);
      await runBatches(only([message(0), message(1), message(2)]), send, results, FAST);
      expect(calls).to.deep.equal([[0, 1, 2], [1]]);
      expect(results[0]).to.deep.equal({ index: 0, ok: true, messageId: 'id-0' });
      expect(results[1]).to.deep.equal({ index: 1, ok: true, messageId: 'id-1' });
      const failed = results[2];
      expect(failed?.ok).to.equal(false);
      expect(failed?.ok === false && failed.error).to.be.instanceOf(PublishError).and.include({ code: 'InvalidMessageContents', senderFault: true });
    });

    it('retries a whole request after a transient error and gives up after maxAttempts', async () => {
      let calls = 0;
      const flaky: SendBatch = async (entries) => {
        calls++;
        if (calls === 1) throw throttled();
        return allOk(entries);
      };
      const results: PublishBatchEntry[] = new Array(2);
      await runBatches(only([message(0), message(1)]), flaky, results, FAST);
      expect(calls).to.equal(2);
      expect(results.map((r) => r.ok)).to.deep.equal([true, true]);

      let attempts = 0;
      const down: SendBatch = async (entries) => {
        attempts++;
        return { successful: [], failed: entries.map((_, id) => ({ id, code: 'ServiceUnavailable', message: 'down', senderFault: false })) };
      };
      const lost: PublishBatchEntry[] = new Array(2);
      await runBatches(only([message(0), message(1)]), down, lost, FAST);
      expect(attempts).to.equal(FAST.maxAttempts);
      expect(lost.map((r) => r.ok === false && (r.error as PublishError).code)).to.deep.equal(['ServiceUnavailable', 'ServiceUnavailable']);
    });

    it('fails every entry of a request with a permanent error, without retrying', async () => {
      let calls = 0;
      const missing = Object.assign(new Error('The specified queue does not exist.'), { name: 'QueueDoesNotExist', $fault: 'client', $metadata: { httpStatusCode: 400 } });
      const send: SendBatch = async () => {
        calls++;
        throw missing;
      };
      const results: PublishBatchEntry[] = new Array(2);
      await runBatches(only([message(0), message(1)]), send, results, FAST);
      expect(calls).to.equal(1);
      for (const r of results) {
        expect(r.ok === false && r.error).to.be.instanceOf(PublishError).and.include({ code: 'QueueDoesNotExist', senderFault: true });
        expect(r.ok === false && r.error.cause).to.equal(missing);
      }
    });

    it('reports an entry the service never mentions instead of dropping it', async () => {
      // Acknowledges payload 0 only; payload 1 is in neither list, on every try.
      const send: SendBatch = async (entries) => ({
        successful: entries.flatMap((m, id) => (m.index === 0 ? [{ id, messageId: 'id-0' }] : [])),
        failed: [],
      });
      const results: PublishBatchEntry[] = new Array(2);
      await runBatches(only([message(0), message(1)]), send, results, { ...FAST, maxAttempts: 2 });
      const done = finishBatch(results);
      expect(done.failed.map((f) => [f.index, (f.error as PublishError).code])).to.deep.equal([[1, 'MissingResult']]);
    });

    it('keeps at most `concurrency` requests in flight', async () => {
      let inFlight = 0;
      let peak = 0;
      const send: SendBatch = async (entries) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight--;
        return allOk(entries);
      };
      const batches = packBatches(stream(Array.from({ length: 100 }, (_, i) => message(i))), 10, 1000);
      const results: PublishBatchEntry[] = new Array(100);
      await runBatches(batches, send, results, { ...FAST, concurrency: 3 });
      expect(peak).to.equal(3);
      expect(finishBatch(results).failed).to.have.length(0);
    });
  });

  it('classifies transient errors', () => {
    expect(isTransient(throttled())).to.equal(true);
    expect(isTransient(Object.assign(new Error('x'), { $metadata: { httpStatusCode: 503 } }))).to.equal(true);
    expect(isTransient(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).to.equal(true);
    expect(isTransient(Object.assign(new Error('denied'), { name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } }))).to.equal(false);
    expect(isTransient('nope')).to.equal(false);
  });

  describe('SqsPublisher.publishBatch with a stubbed client', () => {
    afterEach(() => sinon.restore());

    it('retries partial failures through the real request shape and reports every entry in order', async () => {
      const client = new SQSClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
      const requests: string[][] = [];
      let n = 0;
      sinon.stub(client, 'send').callsFake(async (command: unknown) => {
        expect(command).to.be.instanceOf(SendMessageBatchCommand);
        const entries = (command as SendMessageBatchCommand).input.Entries ?? [];
        requests.push(entries.map((e) => e.MessageBody ?? ''));
        // Every first try of an odd payload fails transiently; payload 13 is refused for good.
        const first = requests.length <= 2;
        const Successful: { Id: string; MessageId: string; MD5OfMessageBody: string }[] = [];
        const Failed: { Id: string; Code: string; Message: string; SenderFault: boolean }[] = [];
        for (const entry of entries) {
          const seq = Number(entry.MessageBody);
          if (seq === 13) Failed.push({ Id: entry.Id ?? '', Code: 'InvalidParameterValue', Message: 'no thirteen', SenderFault: true });
          else if (first && seq % 2 === 1) Failed.push({ Id: entry.Id ?? '', Code: 'InternalError', Message: 'blip', SenderFault: false });
          else Successful.push({ Id: entry.Id ?? '', MessageId: `mid-${seq}-${n++}`, MD5OfMessageBody: '' });
        }
        return { Successful, Failed, $metadata: {} };
      });
      const publisher = new SqsPublisher({ queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', client });
      const payloads = Array.from({ length: 15 }, (_, i) => String(i));
      const results = await publisher.publishBatch(payloads, { retryDelayMs: 1, concurrency: 2 });

      expect(results.map((r) => r.index)).to.deep.equal(payloads.map((_, i) => i));
      expect(results.failed.map((f) => f.index)).to.deep.equal([13]);
      for (const r of results) if (r.ok) expect(r.messageId).to.match(new RegExp(`^mid-${r.index}-`));
      expect(requests.slice(0, 2).map((r) => r.length)).to.deep.equal([10, 5]);
      const retried = requests.slice(2).flat().map(Number).sort((a, b) => a - b);
      expect(retried).to.deep.equal([1, 3, 5, 7, 9, 11]);
    });
  });
});
