import { expect } from 'chai';
import { Capacity } from '../../src/listener/capacity.js';
import { tick } from './listener-fakes.js';

describe('listener/capacity', () => {
  it('reserves up to the room left and never beyond the limit', async () => {
    const c = new Capacity(15);
    const signal = new AbortController().signal;
    expect(await c.reserve(10, signal)).to.equal(10);
    expect(await c.reserve(10, signal)).to.equal(5);
    expect(c.inFlight).to.equal(15);
  });

  it('waits while full and resumes when slots are released', async () => {
    const c = new Capacity(2);
    const signal = new AbortController().signal;
    await c.reserve(2, signal);
    let got = -1;
    const waiting = c.reserve(10, signal).then((n) => (got = n));
    await tick(5);
    expect(got).to.equal(-1);
    c.release(1);
    await waiting;
    expect(got).to.equal(1);
    expect(c.inFlight).to.equal(2);
  });

  it('hands a waiting loop every slot the messages of one receive give back in the same tick, not the first one alone', async () => {
    const c = new Capacity(10);
    const signal = new AbortController().signal;
    await c.reserve(10, signal);
    const waiting = c.reserve(10, signal);
    // As after one DeleteMessageBatch answer: each message releases its slot a few promise hops later.
    const settled = Promise.resolve();
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        settled.then(async () => {
          for (let hop = 0; hop < i % 3; hop++) await null;
          c.release(1);
        }),
      ),
    );
    expect(await waiting).to.equal(10);
  });

  it('returns 0 without reserving when aborted while waiting', async () => {
    const c = new Capacity(1);
    const controller = new AbortController();
    await c.reserve(1, controller.signal);
    const waiting = c.reserve(1, controller.signal);
    controller.abort();
    expect(await waiting).to.equal(0);
    expect(c.inFlight).to.equal(1);
  });

  it('drained resolves once everything is released', async () => {
    const c = new Capacity(5);
    await c.reserve(3, new AbortController().signal);
    let drained = false;
    const done = c.drained().then(() => (drained = true));
    c.release(2);
    await tick();
    expect(drained).to.equal(false);
    c.release(1);
    await done;
    expect(drained).to.equal(true);
  });
});
