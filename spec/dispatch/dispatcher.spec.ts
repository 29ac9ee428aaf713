import { expect } from 'chai';
import { Dispatcher } from '../../src/dispatch/dispatcher.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import { RetriableError, SubscriberRegistrationError } from '../../src/dispatch/errors.js';
import { EventSubscriber } from '../../src/dispatch/event-subscriber.js';
import { ProcessStatus } from '../../src/dispatch/status.js';
import { gt } from '../../src/match/dsl.js';
import { PatternError } from '../../src/match/errors.js';
import type { MegaPayload } from '../../src/protocol/types.js';
import { contextFor, data, invalid, mega, megaPayload } from './support.js';

class ItemAdded extends EventSubscriber {
  domain = 'shopping_cart';
  name = 'item.added';
  attributes = { quantity: gt(0) };
  seen: MegaPayload[] = [];
  process(payload: MegaPayload): void {
    this.seen.push(payload);
  }
}

class Everything extends EventSubscriber {
  process(): ProcessStatus {
    return ProcessStatus.RETRY_LATER;
  }
}

const added = (quantity: number) =>
  mega(megaPayload({ name: 'item.added', domain: 'shopping_cart', attributes: { quantity } }));

describe('Dispatcher', () => {
  describe('register', () => {
    it('instantiates a class and returns the instance', () => {
      const d = new Dispatcher();
      const s = d.register(ItemAdded);
      expect(s).to.be.instanceOf(ItemAdded);
      expect(d.subscribers).to.deep.equal([s]);
    });

    it('refuses the same class twice, as a class or as an instance', () => {
      const d = new Dispatcher();
      d.register(ItemAdded);
      expect(() => d.register(ItemAdded)).to.throw(SubscriberRegistrationError, /ItemAdded: .*already registered/);
      expect(() => d.register(new ItemAdded())).to.throw(SubscriberRegistrationError);
      expect(d.subscribers).to.have.length(1);
    });

    it('refuses something that is not a subscriber', () => {
      class NotOne {}
      expect(() => new Dispatcher().register(NotOne as never)).to.throw(SubscriberRegistrationError, /NotOne: not a subclass/);
    });

    it('wraps a throwing constructor', () => {
      class NeedsDb extends DataSubscriber {
        constructor(readonly db: { ok: true }) {
          super();
          if (db === undefined) throw new Error('db required');
        }
        process(): void {}
      }
      expect(() => new Dispatcher().register(NeedsDb as never)).to.throw(SubscriberRegistrationError, /constructor threw/);
      expect(new Dispatcher().register(new NeedsDb({ ok: true }))).to.be.instanceOf(NeedsDb);
    });

    it('refuses a field that belongs to another kind of subscriber', () => {
      class EventWithPattern extends EventSubscriber {
        pattern = { name: 'x' };
        process(): void {}
      }
      class DataWithAttributesSchema extends DataSubscriber {
        attributesSchema = {};
        process(): void {}
      }
      expect(() => new Dispatcher().register(EventWithPattern)).to.throw(SubscriberRegistrationError, /^EventWithPattern: .*not `pattern`/);
      expect(() => new Dispatcher().register(DataWithAttributesSchema)).to.throw(SubscriberRegistrationError, /use|with `schema`/);
    });

    it('throws PatternError naming the subscriber and field for a malformed pattern', () => {
      class Bad extends EventSubscriber {
        attributes = { quantity: gt({} as never) };
        process(): void {}
      }
      const d = new Dispatcher();
      expect(() => d.register(Bad)).to.throw(PatternError, /^Bad\.attributes\.quantity: /);
      expect(d.subscribers).to.have.length(0);
    });
  });

  describe('dispatch', () => {
    it('runs the matching subscribers and deletes when all are done', async () => {
      const d = new Dispatcher();
      const s = d.register(ItemAdded) as ItemAdded;
      const decoded = added(2);
      const outcome = await d.dispatch(decoded, contextFor(decoded));
      expect(outcome.results.map((r) => [r.subscriber, r.status])).to.deep.equal([['ItemAdded', ProcessStatus.DONE]]);
      expect(outcome.decision).to.deep.equal({ action: 'delete', deadLetter: false, reason: 'processed' });
      expect(s.seen).to.deep.equal([decoded.payload]);
    });

    it('retries when any matching subscriber asks for it', async () => {
      const d = new Dispatcher();
      d.register(ItemAdded);
      d.register(Everything);
      const decoded = added(2);
      const outcome = await d.dispatch(decoded, contextFor(decoded));
      expect(outcome.results.map((r) => r.status)).to.deep.equal([ProcessStatus.DONE, ProcessStatus.RETRY_LATER]);
      expect(outcome.decision).to.deep.equal({ action: 'retry', deadLetter: false, reason: 'retry' });
    });

    it('gives the outcome at once, not as a promise, when the only subscriber returns synchronously or none matched', async () => {
      const d = new Dispatcher();
      const s = d.register(ItemAdded) as ItemAdded;
      const decoded = added(2);
      const outcome = d.dispatch(decoded, contextFor(decoded));
      expect(outcome).not.to.be.instanceOf(Promise);
      expect(s.seen).to.have.length(1);
      const unmatched = added(0);
      expect(d.dispatch(unmatched, contextFor(unmatched))).not.to.be.instanceOf(Promise);
      class Slow extends DataSubscriber {
        async process(): Promise<void> {}
      }
      d.register(Slow);
      const later = d.dispatch(data({}), contextFor(data({})));
      expect(later).to.be.instanceOf(Promise);
      expect((await later).decision.reason).to.equal('processed');
    });

    it('tells an observer of each subscriber that finishes after dispatch returned; an outcome given at once carries its results', async () => {
      const d = new Dispatcher();
      d.register(ItemAdded);
      const heard: string[] = [];
      const observer = { onResult: (r: { subscriber: string }) => heard.push(r.subscriber) };
      const now = d.dispatch(added(2), contextFor(added(2)), observer);
      expect(now).not.to.be.instanceOf(Promise);
      expect((now as Awaited<typeof now>).results.map((r) => r.subscriber)).to.deep.equal(['ItemAdded']);
      expect(heard).to.deep.equal([]);
      class Slow extends EventSubscriber {
        async process(): Promise<void> {}
      }
      class AlsoSlow extends EventSubscriber {
        name = 'item.added';
        async process(): Promise<void> {}
      }
      d.register(Slow);
      d.register(AlsoSlow);
      // Three match: the first two found are kept, and the rest of the candidates still tested.
      const outcome = await d.dispatch(added(2), contextFor(added(2)), observer);
      expect(outcome.results.map((r) => r.subscriber)).to.deep.equal(['ItemAdded', 'Slow', 'AlsoSlow']);
      expect([...heard].sort()).to.deep.equal(['AlsoSlow', 'ItemAdded', 'Slow']);
    });

    it('deletes unmatched messages and dead-letters invalid ones', async () => {
      const d = new Dispatcher();
      d.register(ItemAdded);
      const unmatched = added(0);
      expect((await d.dispatch(unmatched, contextFor(unmatched))).decision.reason).to.equal('unmatched');
      const bad = invalid('{"protocol":"mega"');
      expect((await d.dispatch(bad, contextFor(bad))).decision).to.deep.equal({ action: 'delete', deadLetter: true, reason: 'invalid' });
    });

    it('maps a RetriableError to RETRIABLE_ERROR and another error to FATAL_ERROR', async () => {
      class Flaky extends DataSubscriber {
        process(payload: Record<string, unknown>): void {
          if (payload.flaky === true) throw new RetriableError('later');
          throw new TypeError('broken');
        }
      }
      const d = new Dispatcher();
      d.register(Flaky);
      const flaky = data({ flaky: true });
      const r1 = (await d.dispatch(flaky, contextFor(flaky))).results[0];
      expect(r1?.status).to.equal(ProcessStatus.RETRIABLE_ERROR);
      expect(r1?.error).to.be.instanceOf(RetriableError);
      const broken = data({ flaky: false });
      const outcome = await d.dispatch(broken, contextFor(broken));
      expect(outcome.results[0]?.status).to.equal(ProcessStatus.FATAL_ERROR);
      expect(outcome.results[0]?.error).to.be.instanceOf(TypeError);
      expect(outcome.decision).to.deep.equal({ action: 'delete', deadLetter: true, reason: 'fatal' });
    });
  });
});
