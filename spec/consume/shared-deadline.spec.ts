import { expect } from 'chai';
import sinon from 'sinon';
import { SharedDeadline } from '../../src/consume/shared-deadline.js';

describe('SharedDeadline', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => (clock = sinon.useFakeTimers({ now: 1_000_000 })));
  afterEach(() => clock.restore());

  const never = () => new Promise<string>(() => undefined);

  it('settles every race with undefined at the deadline, through one timer for all of them', async () => {
    const deadline = new SharedDeadline(Date.now() + 5_000);
    const races = [deadline.race(never()), deadline.race(never()), deadline.race(never())];
    expect(clock.countTimers()).to.equal(1);
    await clock.tickAsync(4_999);
    let settled = false;
    void Promise.all(races).then(() => (settled = true));
    await clock.tickAsync(0);
    expect(settled).to.equal(false);
    await clock.tickAsync(1);
    expect(await Promise.all(races)).to.deep.equal([undefined, undefined, undefined]);
  });

  it("gives a work's value or rejection when it settles first", async () => {
    const deadline = new SharedDeadline(Date.now() + 5_000);
    expect(await deadline.race(Promise.resolve('done'))).to.equal('done');
    const failed = await deadline.race(Promise.reject(new Error('boom'))).catch((error: unknown) => error);
    expect(failed).to.be.instanceOf(Error).with.property('message', 'boom');
  });

  it('lets a race started after the deadline passed end in undefined, and a work already done win', async () => {
    const deadline = new SharedDeadline(Date.now() + 10);
    const first = deadline.race(never());
    await clock.tickAsync(10);
    expect(await first).to.equal(undefined);
    const late = deadline.race(never());
    await clock.tickAsync(0);
    expect(await late).to.equal(undefined);
    expect(await deadline.race(Promise.resolve('in time'))).to.equal('in time');
  });

  it('clears its timer on dispose', () => {
    const deadline = new SharedDeadline(Date.now() + 5_000);
    void deadline.race(never());
    deadline.dispose();
    expect(clock.countTimers()).to.equal(0);
  });
});
