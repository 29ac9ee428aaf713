// How process results map to statuses, and how statuses decide a message's fate.
import { expect } from 'chai';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import { decide } from '../../src/dispatch/decision.js';
import { Dispatcher } from '../../src/dispatch/dispatcher.js';
import { InvalidStatusError, MatchError, NonErrorThrownError, RetriableError } from '../../src/dispatch/errors.js';
import type { SubscriberResult } from '../../src/dispatch/outcome.js';
import { ProcessStatus } from '../../src/dispatch/status.js';
import { contextFor, data, invalid } from './support.js';

/** Dispatches `{}` to one DataSubscriber whose process is `body`. */
async function resultOf(body: () => unknown, options?: ConstructorParameters<typeof Dispatcher>[0]): Promise<SubscriberResult> {
  class Subject extends DataSubscriber {
    process(): never {
      return body() as never;
    }
  }
  const d = new Dispatcher(options);
  d.register(Subject);
  const decoded = data({});
  const outcome = await d.dispatch(decoded, contextFor(decoded));
  expect(outcome.results).to.have.length(1);
  return outcome.results[0] as SubscriberResult;
}

const result = (status: ProcessStatus): SubscriberResult => ({ subscriber: 'S', status, durationMs: 0 });

describe('dispatch/status mapping', () => {
  it('returning nothing is DONE; a returned status is kept, sync or async', async () => {
    expect((await resultOf(() => undefined)).status).to.equal(ProcessStatus.DONE);
    for (const status of Object.values(ProcessStatus)) {
      expect((await resultOf(() => status)).status).to.equal(status);
      expect((await resultOf(() => Promise.resolve(status))).status).to.equal(status);
    }
  });

  it('returning something else is FATAL_ERROR with a clear error', async () => {
    const r = await resultOf(() => true);
    expect(r.status).to.equal(ProcessStatus.FATAL_ERROR);
    expect(r.error).to.be.instanceOf(InvalidStatusError);
    expect(r.error?.message).to.equal('Subject.process returned true, which is not a ProcessStatus (return nothing or a ProcessStatus)');
    expect((await resultOf(() => 'done')).error?.message).to.contain('returned "done"');
  });

  it('a thrown error is FATAL_ERROR, a RetriableError (or subclass) RETRIABLE_ERROR, sync or async', async () => {
    class Throttled extends RetriableError {}
    const boom = new Error('boom');
    expect(await resultOf(() => { throw boom; })).to.include({ status: ProcessStatus.FATAL_ERROR, error: boom });
    expect((await resultOf(() => Promise.reject(boom))).status).to.equal(ProcessStatus.FATAL_ERROR);
    expect((await resultOf(() => { throw new Throttled('slow down'); })).status).to.equal(ProcessStatus.RETRIABLE_ERROR);
    expect((await resultOf(() => Promise.reject(new RetriableError('x')))).status).to.equal(ProcessStatus.RETRIABLE_ERROR);
  });

  it('retriableErrors classes and their subclasses are RETRIABLE_ERROR', async () => {
    class NetworkError extends Error {}
    class ResetError extends NetworkError {}
    const options = { retriableErrors: [NetworkError] };
    expect((await resultOf(() => { throw new ResetError('reset'); }, options)).status).to.equal(ProcessStatus.RETRIABLE_ERROR);
    expect((await resultOf(() => { throw new TypeError('bug'); }, options)).status).to.equal(ProcessStatus.FATAL_ERROR);
  });

  it('a thrown non-Error is FATAL_ERROR wrapped in an error that keeps it as cause', async () => {
    const r = await resultOf(() => { throw 'oops'; });
    expect(r.status).to.equal(ProcessStatus.FATAL_ERROR);
    expect(r.error).to.be.instanceOf(NonErrorThrownError);
    expect(r.error?.cause).to.equal('oops');
  });

  it('records how long process took', async () => {
    const r = await resultOf(() => new Promise((resolve) => setTimeout(resolve, 30)));
    expect(r.durationMs).to.be.at.least(25);
    expect((await resultOf(() => undefined)).durationMs).to.be.a('number').and.at.least(0);
  });

  it('runs matching subscribers concurrently', async () => {
    const events: string[] = [];
    const step = (name: string) => async () => {
      events.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      events.push(`${name} end`);
    };
    class A extends DataSubscriber {
      process = step('A');
    }
    class B extends DataSubscriber {
      process = step('B');
    }
    const d = new Dispatcher();
    d.register(A);
    d.register(B);
    const decoded = data({});
    await d.dispatch(decoded, contextFor(decoded));
    expect(events.slice(0, 2)).to.deep.equal(['A start', 'B start']);
  });

  it('a throwing accepts() is FATAL_ERROR for that subscriber, not a rejected dispatch', async () => {
    class Picky extends DataSubscriber {
      override accepts(): boolean {
        throw new Error('picky');
      }
      process(): void {}
    }
    class Fine extends DataSubscriber {
      process(): void {}
    }
    const d = new Dispatcher();
    d.register(Picky);
    d.register(Fine);
    const decoded = data({});
    const outcome = await d.dispatch(decoded, contextFor(decoded));
    expect(outcome.results.map((r) => r.status)).to.deep.equal([ProcessStatus.FATAL_ERROR, ProcessStatus.DONE]);
    expect(outcome.results[0]?.error).to.be.instanceOf(MatchError);
    expect(outcome.results[0]?.error?.message).to.equal('Picky: accepts threw: Error: picky');
  });
});

describe('dispatch/decide', () => {
  const msg = data({});
  it('deletes and dead-letters an invalid body', () => {
    expect(decide(invalid('x'), [])).to.deep.equal({ action: 'delete', deadLetter: true, reason: 'invalid' });
  });
  it('deletes an unmatched message', () => {
    expect(decide(msg, [])).to.deep.equal({ action: 'delete', deadLetter: false, reason: 'unmatched' });
  });
  it('retries when any subscriber returned RETRY_LATER or RETRIABLE_ERROR, even beside a FATAL_ERROR', () => {
    for (const s of [ProcessStatus.RETRY_LATER, ProcessStatus.RETRIABLE_ERROR]) {
      expect(decide(msg, [result(ProcessStatus.DONE), result(ProcessStatus.FATAL_ERROR), result(s)])).to.deep.equal({
        action: 'retry',
        deadLetter: false,
        reason: 'retry',
      });
    }
  });
  it('deletes when all are DONE or FATAL_ERROR, dead-lettering on any FATAL_ERROR', () => {
    expect(decide(msg, [result(ProcessStatus.DONE), result(ProcessStatus.DONE)])).to.deep.equal({
      action: 'delete',
      deadLetter: false,
      reason: 'processed',
    });
    expect(decide(msg, [result(ProcessStatus.DONE), result(ProcessStatus.FATAL_ERROR)])).to.deep.equal({
      action: 'delete',
      deadLetter: true,
      reason: 'fatal',
    });
  });
});
