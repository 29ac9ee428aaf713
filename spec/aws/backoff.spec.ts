import { expect } from 'chai';
import { Backoff, clampRetryDelay, defaultRetryDelaySeconds, sleep } from '../../src/aws/backoff.js';

describe('aws/backoff', () => {
  it('defaultRetryDelaySeconds stays within 0..2^n and never above 900', () => {
    for (let n = 1; n <= 40; n += 1) {
      for (let i = 0; i < 50; i += 1) {
        const d = defaultRetryDelaySeconds(n);
        expect(d).to.be.at.least(0).and.at.most(Math.min(900, 2 ** n));
        expect(Number.isInteger(d)).to.equal(true);
      }
    }
  });

  it('clampRetryDelay caps user delays at the SQS maximum and floors negatives at 0', () => {
    expect(clampRetryDelay(100_000, 1)).to.equal(43_200);
    expect(clampRetryDelay(-5, 1)).to.equal(0);
    expect(clampRetryDelay(2.6, 1)).to.equal(3);
    const fallback = clampRetryDelay(Number.NaN, 3);
    expect(fallback).to.be.at.least(0).and.at.most(8);
    expect(clampRetryDelay('10', 1)).to.be.at.most(2);
  });

  it('Backoff grows exponentially with equal jitter, is capped and resets', () => {
    const low = new Backoff(100, 1_000, () => 0);
    expect([low.next(), low.next(), low.next(), low.next(), low.next()]).to.deep.equal([50, 100, 200, 400, 500]);
    const high = new Backoff(100, 1_000, () => 1);
    expect([high.next(), high.next(), high.next(), high.next(), high.next()]).to.deep.equal([100, 200, 400, 800, 1000]);
    expect(high.attempts).to.equal(5);
    high.reset();
    expect(high.next()).to.equal(100);
  });

  it('never returns a zero delay, so a failing loop cannot spin', () => {
    const b = new Backoff(200, 20_000, () => 0);
    for (let i = 0; i < 100; i += 1) expect(b.next()).to.be.at.least(100);
  });

  it('sleep ends early on abort and never rejects', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const slept = sleep(5_000, controller.signal);
    setTimeout(() => controller.abort(), 10);
    await slept;
    expect(Date.now() - started).to.be.below(2_000);
    await sleep(5_000, controller.signal);
  });
});
