import { expect } from 'chai';
import { QueueBudget } from '../../src/listener/queue-budget.js';

const never = new AbortController().signal;
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Keeps one pending reserve per queue and counts what each got. */
function contend(budget: QueueBudget, queues: number, want = 1) {
  const got = Array.from({ length: queues }, () => 0);
  const stop = new AbortController();
  const loop = async (index: number) => {
    const slots = budget.slotsFor(index);
    while (!stop.signal.aborted) {
      const n = await slots.reserve(want, stop.signal);
      got[index] = (got[index] ?? 0) + n;
    }
  };
  const loops = Array.from({ length: queues }, (_, i) => loop(i));
  return { got, stop: async () => (stop.abort(), await Promise.all(loops)) };
}

describe('listener/queue-budget', () => {
  it('weighted: splits a full budget by weight among queues with work', async () => {
    const budget = new QueueBudget(8, [3, 1], 'weighted');
    const run = contend(budget, 2);
    await tick();
    expect(run.got).to.deep.equal([6, 2]);
    expect(budget.inFlight).to.equal(8);
    // As slots come back, each goes to the queue furthest below its share.
    budget.slotsFor(0).release(3);
    budget.slotsFor(1).release(1);
    await tick();
    expect(run.got).to.deep.equal([9, 3]);
    await run.stop();
  });

  it('weighted: a queue whose receives come back empty lends its share, and takes it back once it has work', async () => {
    const budget = new QueueBudget(8, [1, 1], 'weighted');
    const b = budget.slotsFor(1);
    b.received(0);
    const run = contend(budget, 1);
    await tick();
    expect(run.got[0]).to.equal(8);
    b.received(3);
    const taken = b.reserve(5, never);
    budget.slotsFor(0).release(2);
    expect(await taken).to.equal(2); // the freed slots go to the queue below its share
    budget.slotsFor(0).release(2);
    await tick();
    expect(run.got[0]).to.equal(8); // queue 0 is at its share (4) and gets none of them back
    await run.stop();
  });

  it('hands a waiting loop the slots its messages give back one by one in the same tick, not the first one alone', async () => {
    for (const polling of ['weighted', 'strict'] as const) {
      const budget = new QueueBudget(20, [1, 1], polling);
      const a = budget.slotsFor(0);
      budget.slotsFor(1).received(0); // the other queue is empty: queue 0 may fill the budget
      expect(await a.reserve(10, never)).to.equal(10);
      expect(await a.reserve(10, never)).to.equal(10);
      const next = a.reserve(10, never);
      // One DeleteMessageBatch answer settles ten messages, each releasing its own slot.
      await Promise.all(Array.from({ length: 10 }, async () => a.release(1)));
      expect(await next, polling).to.equal(10);
    }
  });

  it('weighted: with room to spare every queue takes what it asks, whatever the weights', async () => {
    const budget = new QueueBudget(40, [3, 1], 'weighted');
    expect(await budget.slotsFor(1).reserve(10, never)).to.equal(10);
    expect(await budget.slotsFor(0).reserve(10, never)).to.equal(10);
  });

  it('strict: a queue receives only while every queue above it is empty, and freed slots go to the highest waiting queue', async () => {
    const budget = new QueueBudget(4, [1, 1], 'strict');
    const [high, low] = [budget.slotsFor(0), budget.slotsFor(1)];
    let lowGot = 0;
    const lowWaits = low.reserve(4, never).then((n) => (lowGot = n));
    expect(await high.reserve(4, never)).to.equal(4);
    await tick();
    expect(lowGot).to.equal(0);
    high.received(4); // still busy
    high.release(4);
    await tick();
    expect(lowGot).to.equal(0);
    high.received(0); // empty: the low queue may go
    await lowWaits;
    expect(lowGot).to.equal(4);
    // The high queue asks again while the low one holds everything: it gets the first slot freed.
    let highGot = 0;
    const highWaits = high.reserve(10, never).then((n) => (highGot = n));
    const lowAgain = low.reserve(10, new AbortController().signal);
    low.release(1);
    await highWaits;
    expect(highGot).to.equal(1);
    high.received(1); // busy again: the low queue's waiting loop gets nothing
    low.release(3);
    await tick();
    expect(budget.inFlight).to.equal(1);
    high.received(0);
    expect(await lowAgain).to.equal(3);
  });

  it('strict: a queue with queues below it short-polls while it has work and long-polls once empty; the last always long-polls', () => {
    const budget = new QueueBudget(10, [1, 1, 1], 'strict');
    const [top, middle, last] = [0, 1, 2].map((i) => budget.slotsFor(i));
    expect([top, middle, last].map((s) => s?.waitTimeSeconds(20))).to.deep.equal([0, 0, 20]);
    top?.received(0);
    middle?.received(5);
    expect([top, middle, last].map((s) => s?.waitTimeSeconds(20))).to.deep.equal([20, 0, 20]);
    const weighted = new QueueBudget(10, [1, 1], 'weighted');
    expect(weighted.slotsFor(0).waitTimeSeconds(20)).to.equal(20);
  });

  it('an aborted reserve takes nothing, and drained() waits for every queue', async () => {
    const budget = new QueueBudget(1, [1, 1], 'weighted');
    const a = budget.slotsFor(0);
    expect(await a.reserve(1, never)).to.equal(1);
    const cancel = new AbortController();
    const waiting = budget.slotsFor(1).reserve(1, cancel.signal);
    cancel.abort();
    expect(await waiting).to.equal(0);
    let drained = false;
    const draining = budget.drained().then(() => (drained = true));
    await tick();
    expect(drained).to.equal(false);
    a.release(1);
    await draining;
    expect(budget.inFlight).to.equal(0);
  });
});
