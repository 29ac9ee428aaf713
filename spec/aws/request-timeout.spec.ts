import { expect } from 'chai';
import sinon from 'sinon';
import { withSharedTimeout, withTimeout } from '../../src/aws/request-timeout.js';

/** A call that runs until its signal aborts, and says when and why. */
function hung(clock: sinon.SinonFakeTimers) {
  const started = clock.now;
  let signal: AbortSignal | undefined;
  const ended = new Promise<{ afterMs: number; reason: unknown }>((resolve) => {
    void withSharedTimeout(2_000, parent.signal, (s) => {
      signal = s;
      return new Promise((_, reject) => s.addEventListener('abort', () => (resolve({ afterMs: clock.now - started, reason: s.reason }), reject(s.reason))));
    }).catch(() => undefined);
  });
  return { ended, signal: () => signal };
}

let parent: AbortController;

describe('request timeouts', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: 1_000_000 });
    parent = new AbortController();
  });
  afterEach(() => clock.restore());

  it('withTimeout abandons a call after exactly its limit', async () => {
    const ended = withTimeout(500, parent.signal, (s) => new Promise((_, reject) => s.addEventListener('abort', () => reject(s.reason as Error))));
    const caught = ended.catch((error: Error) => ({ at: clock.now, error }));
    await clock.tickAsync(500);
    expect(await caught).to.deep.include({ at: 1_000_500 });
  });

  it('withSharedTimeout: calls started within one window share one signal and one timer, and each gets its whole limit', async () => {
    const first = hung(clock);
    await clock.tickAsync(99); // the window of a 2 s limit is 100 ms wide
    const second = hung(clock);
    expect(second.signal()).to.equal(first.signal());
    expect(clock.countTimers()).to.equal(1);
    await clock.tickAsync(1);
    const third = hung(clock); // the next window
    expect(third.signal()).not.to.equal(first.signal());

    await clock.tickAsync(2_100);
    const [a, b, c] = await Promise.all([first.ended, second.ended, third.ended]);
    expect(a.afterMs).to.be.within(2_000, 2_100);
    expect(b.afterMs).to.be.within(2_000, 2_100);
    expect(String(b.reason)).to.contain('request timed out after 2000 ms');
    expect(c.afterMs).to.be.within(2_000, 2_100);
  });

  it('withSharedTimeout: the parent aborting cancels every call in flight at once, with its reason', async () => {
    const first = hung(clock);
    await clock.tickAsync(500);
    const second = hung(clock);
    parent.abort(new Error('shutting down'));
    const [a, b] = await Promise.all([first.ended, second.ended]);
    expect(String(a.reason)).to.contain('shutting down');
    expect(b.afterMs).to.equal(0);
    // Aborted already: the call gets the parent's signal itself.
    expect(hung(clock).signal()).to.equal(parent.signal);
  });
});
