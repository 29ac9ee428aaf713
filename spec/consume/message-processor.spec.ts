import type { Message } from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import { decodeBody } from '../../src/codec/body.js';
import { ListenerEventEmitter, type ListenerEvents } from '../../src/consume/events.js';
import { MessageProcessor, type Processed, type ProcessorOptions } from '../../src/consume/message-processor.js';
import { silentLogger } from '../../src/aws/logger.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import { Dispatcher } from '../../src/dispatch/dispatcher.js';
import { ProcessStatus } from '../../src/dispatch/status.js';
import { loadOtel } from '../../src/telemetry/api.js';
import { fakeSqs } from '../listener/listener-fakes.js';

class Sync extends DataSubscriber {
  process(payload: Record<string, unknown>): ProcessStatus | undefined {
    return payload.retry === true ? ProcessStatus.RETRY_LATER : undefined;
  }
}

class Sleeps extends DataSubscriber {
  async process(payload: Record<string, unknown>): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, Number(payload.sleepMs ?? 0)));
  }
}

function processor(subscribers: (typeof Sync | typeof Sleeps)[], options: Partial<ProcessorOptions> = {}) {
  const dispatcher = new Dispatcher();
  for (const s of subscribers) dispatcher.register(s);
  const events = new ListenerEventEmitter(() => {});
  const processed: ListenerEvents['message_processed'][] = [];
  events.on('message_processed', (e) => processed.push(e));
  const p = new MessageProcessor({
    client: fakeSqs().client,
    options: { retryDelaySeconds: () => 7, handlerTimeoutSeconds: 30, logger: silentLogger, ...options },
    dispatcher,
    decode: decodeBody,
    deadLetter: undefined,
    events,
  });
  return { p, processed };
}

const message = (payload: object): Message => ({ MessageId: 'm1', ReceiptHandle: 'rh', Body: JSON.stringify(payload), Attributes: { ApproximateReceiveCount: '2' } });
const run = { signal: new AbortController().signal };

describe('MessageProcessor', () => {
  it('gives the verdict at once, not as a promise, when nothing on the way has to wait', async () => {
    const { p } = processor([Sync]);
    // Only the first messages of a process wait, for the OpenTelemetry API's lookup.
    await loadOtel();
    const done = p.process(message({ a: 1 }), 'm1', run) as Processed;
    expect(done).not.to.be.instanceOf(Promise);
    expect(done.verdict).to.deep.equal({ action: 'delete' });
    const retry = p.process(message({ retry: true }), 'm1', run) as Processed;
    expect(retry.verdict).to.deep.equal({ action: 'retry', delaySeconds: 7, receiveCount: 2 });
  });

  it('waits, within the deadline, for an async subscriber or hook', async () => {
    const hooked = processor([Sync], { onBeforeProcess: async () => {} }).p.process(message({ a: 1 }), 'm1', run);
    expect(hooked).to.be.instanceOf(Promise);
    expect((await hooked).verdict.action).to.equal('delete');
    const late = processor([Sleeps]).p.process(message({ sleepMs: 200 }), 'm1', { ...run, timeoutMs: 20 });
    expect(late).to.be.instanceOf(Promise);
    const { verdict, timedOut } = await late;
    expect(verdict.action).to.equal('retry');
    expect(timedOut).to.be.instanceOf(Promise);
  });

  it('reports the longest subscriber time as the message time', async () => {
    class AlsoSleeps extends Sleeps {}
    const { p, processed } = processor([Sync, Sleeps, AlsoSleeps]);
    await p.process(message({ sleepMs: 30 }), 'm1', run);
    const [event] = processed;
    const longest = Math.max(...(event?.outcome.results.map((r) => r.durationMs) ?? []));
    expect(event?.durationMs).to.equal(longest);
    expect(longest).to.be.at.least(25);
  });
});
