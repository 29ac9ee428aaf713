import { expect } from 'chai';
import sinon from 'sinon';
import { clampRetryDelay } from '../../src/aws/backoff.js';
import { Heartbeat } from '../../src/listener/heartbeat.js';
import { visibilityLeftSeconds } from '../../src/aws/visibility-limit.js';
import { fakeSqs } from '../listener/listener-fakes.js';
import { twelveHourRule } from './sqs-visibility-rule.js';

const SECOND = 1000;

describe('aws/visibility-limit', () => {
  it('leaves 12 h from this receive, less one request timeout of slack, never below 0', () => {
    expect(visibilityLeftSeconds(0, 0)).to.equal(43_180);
    expect(visibilityLeftSeconds(0, 43_000 * SECOND)).to.equal(180);
    expect(visibilityLeftSeconds(0, 43_190 * SECOND)).to.equal(0);
    expect(visibilityLeftSeconds(0, 50_000 * SECOND)).to.equal(0);
    expect(clampRetryDelay(153_600, 8, visibilityLeftSeconds(0, 60 * SECOND))).to.equal(43_120);
  });

  /** A heartbeat (visibility 60 s) running for a second on a message received `agoSeconds` ago, against the 12-hour rule. */
  async function tickReceivedAgo(agoSeconds: number) {
    const clock = sinon.useFakeTimers({ now: 1_000_000_000, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const rule = twelveHourRule();
      const sqs = fakeSqs(rule.responders);
      const errors: string[][] = [];
      const hb = new Heartbeat(sqs.client, 'q', { visibilityTimeout: 60, fraction: 0.5, onError: (_e, ids) => void errors.push(ids) });
      hb.start();
      const receivedAt = Date.now() - agoSeconds * SECOND;
      rule.received('rh', receivedAt);
      hb.track('m', 'rh', receivedAt);
      await clock.tickAsync(1_000);
      hb.stop();
      return { rule, sqs, errors };
    } finally {
      clock.restore();
    }
  }

  it('the heartbeat extends near the 12 h only by the seconds left, which SQS accepts', async () => {
    const { rule, errors } = await tickReceivedAgo(43_150);
    expect(errors).to.deep.equal([]);
    expect(rule.refused).to.deep.equal([]);
    expect(rule.accepted).to.have.length(1);
    expect(rule.accepted[0]).to.be.within(25, 30);
  });

  it('the heartbeat sends nothing once no time is left (the message comes back regardless)', async () => {
    const { sqs, errors } = await tickReceivedAgo(43_195);
    expect(sqs.sent).to.have.length(0);
    expect(errors).to.deep.equal([]);
  });
});
