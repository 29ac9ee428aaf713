import { expect } from 'chai';
import sinon from 'sinon';
import { Heartbeat, type HeartbeatOptions } from '../../src/listener/heartbeat.js';
import { allSuccessful, fakeSqs, visibilityModel } from './listener-fakes.js';

const T0 = 1_000_000;

describe('listener/heartbeat', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: T0, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => clock.restore());

  function started(responders: Parameters<typeof fakeSqs>[0], options: Partial<HeartbeatOptions> = {}) {
    const sqs = fakeSqs(responders);
    const errors: { error: Error; ids: string[] }[] = [];
    const hb = new Heartbeat(sqs.client, 'q', { visibilityTimeout: 2, fraction: 0.5, onError: (error, ids) => errors.push({ error, ids }), ...options });
    hb.start();
    return { sqs, hb, errors };
  }

  for (const fraction of [0.5, 0.6, 0.7, 0.8, 0.9]) {
    it(`keeps every message hidden at fraction ${fraction}, whatever its receive phase`, async () => {
      const model = visibilityModel({ latencyMs: 20 });
      const { hb, errors } = started({ ChangeMessageVisibilityBatchCommand: model.batch }, { fraction });
      for (let k = 0; k < 8; k += 1) {
        model.receive(`rh${k}`, 2);
        hb.track(`m${k}`, `rh${k}`, Date.now());
        await clock.tickAsync(250);
      }
      // 6 s of processing after the last receive: three visibility timeouts.
      await clock.tickAsync(6_000);
      expect(model.exposed()).to.deep.equal([]);
      expect(errors).to.deep.equal([]);
    });
  }

  it('extends each message once per period, to the full visibility timeout, in batches of 10', async () => {
    const model = visibilityModel({ latencyMs: 10 });
    const { sqs, hb } = started({ ChangeMessageVisibilityBatchCommand: model.batch }, { visibilityTimeout: 10 });
    for (let i = 0; i < 12; i += 1) hb.track(`m${i}`, `rh${i}`, T0);
    await clock.tickAsync(4_999);
    expect(model.calls).to.have.length(0);
    await clock.tickAsync(26_002);
    // Extended at 5, 10, ... 30 s: never more often than the period.
    expect(model.calls.map((c) => c.at - T0)).to.deep.equal([5, 5, 10, 10, 15, 15, 20, 20, 25, 25, 30, 30].map((s) => s * 1000));
    expect(model.calls.slice(0, 2).map((c) => c.handles.length)).to.deep.equal([10, 2]);
    expect(sqs.of('ChangeMessageVisibilityBatchCommand')[0]?.input.Entries[0]).to.deep.include({ ReceiptHandle: 'rh0', VisibilityTimeout: 10 });
  });

  it('takes messages due within a quarter period along in the same call, and no others', async () => {
    const model = visibilityModel();
    const { hb } = started({ ChangeMessageVisibilityBatchCommand: model.batch }, { visibilityTimeout: 10 });
    hb.track('a', 'rha', T0);
    hb.track('soon', 'rhs', T0 + 1_000);
    hb.track('later', 'rhl', T0 + 2_000);
    await clock.tickAsync(7_500);
    expect(model.calls.map((c) => [c.at - T0, c.handles])).to.deep.equal([
      [5_000, ['rha', 'rhs']],
      [7_000, ['rhl']],
    ]);
  });

  it('keeps extending the others while one call hangs, and abandons the hung call within the slack', async () => {
    const model = visibilityModel({ latencyMs: 20, hang: (n) => n === 0 });
    const { hb, errors } = started({ ChangeMessageVisibilityBatchCommand: model.batch });
    for (let i = 0; i < 10; i += 1) {
      model.receive(`rh${i}`, 2);
      hb.track(`m${i}`, `rh${i}`, Date.now());
    }
    await clock.tickAsync(400);
    model.receive('rhx', 2);
    hb.track('x', 'rhx', Date.now());
    await clock.tickAsync(6_000);
    expect(model.exposed()).to.deep.equal([]);
    const hung = model.calls[0];
    expect(hung?.handles).to.have.length(10);
    // Sent when 1 s of the 2 s visibility was left; given up halfway, and tried again in time.
    expect(hung?.abortedAt !== undefined && hung.abortedAt - hung.at).to.equal(500);
    expect(model.calls[1]).to.deep.include({ at: T0 + 1_400, handles: ['rhx'] });
    expect(errors.map((e) => e.ids.length)).to.deep.equal([10]);
  });

  it('stops extending a message once it is untracked', async () => {
    const model = visibilityModel();
    const { hb } = started({ ChangeMessageVisibilityBatchCommand: model.batch });
    hb.track('m', 'rh', T0);
    hb.untrack('rh');
    await clock.tickAsync(10_000);
    expect(model.calls).to.have.length(0);
    expect(hb.size).to.equal(0);
  });

  it('reports a failed call and tries again halfway to the expiry', async () => {
    let fail = true;
    const { sqs, errors } = (() => {
      const t = started({
        ChangeMessageVisibilityBatchCommand: (input) => {
          if (fail) throw new Error('network');
          return allSuccessful(input);
        },
      });
      t.hb.track('m', 'rh', T0);
      return t;
    })();
    await clock.tickAsync(1_000);
    expect(errors.map((e) => [e.error.message, e.ids])).to.deep.equal([['network', ['m']]]);
    fail = false;
    await clock.tickAsync(499);
    expect(sqs.send.callCount).to.equal(1);
    await clock.tickAsync(1);
    expect(sqs.send.callCount).to.equal(2);
    // Then back to once a period.
    await clock.tickAsync(999);
    expect(sqs.send.callCount).to.equal(2);
    await clock.tickAsync(1);
    expect(sqs.send.callCount).to.equal(3);
  });

  it('is disabled with a zero visibility timeout', async () => {
    const { hb, sqs } = started({}, { visibilityTimeout: 0 });
    hb.track('m', 'rh', T0);
    await clock.tickAsync(10_000);
    expect(hb.enabled).to.equal(false);
    expect(hb.size).to.equal(0);
    expect(sqs.sent).to.have.length(0);
  });

  it('does not report failures for messages that finished while the extension was out', async () => {
    let finish: () => void = () => {};
    const { hb, errors } = started({
      ChangeMessageVisibilityBatchCommand: async (input) => {
        finish();
        return { Successful: [], Failed: input.Entries.map((e: { Id: string }) => ({ Id: e.Id, SenderFault: true, Code: 'ReceiptHandleIsInvalid' })) };
      },
    });
    hb.track('done', 'rh1', T0);
    hb.track('running', 'rh2', T0);
    finish = () => hb.untrack('rh1');
    await clock.tickAsync(1_000);
    expect(errors.map((e) => e.ids)).to.deep.equal([['running (ReceiptHandleIsInvalid)']]);
  });

  it('settled() waits for the extension of that message in flight, not for others', async () => {
    const model = visibilityModel({ latencyMs: 300 });
    const { hb } = started({ ChangeMessageVisibilityBatchCommand: model.batch });
    hb.track('m', 'rh', T0);
    hb.track('other', 'rho', T0 + 600);
    await clock.tickAsync(1_000);
    expect(model.calls).to.have.length(1);
    let settled = false;
    const waiting = hb.settled('rh').then(() => (settled = true));
    await hb.settled('rho');
    await clock.tickAsync(299);
    expect(settled).to.equal(false);
    await clock.tickAsync(1);
    await waiting;
    expect(settled).to.equal(true);
  });

  it('keeps the schedule of a receipt handle tracked again (a held FIFO message handed to its handler)', async () => {
    const model = visibilityModel();
    const { hb } = started({ ChangeMessageVisibilityBatchCommand: model.batch });
    hb.track('m', 'rh', T0);
    await clock.tickAsync(1_500);
    hb.track('m', 'rh', Date.now());
    await clock.tickAsync(1_000);
    expect(model.calls.map((c) => c.at - T0)).to.deep.equal([1_000, 2_000]);
    expect(hb.size).to.equal(1);
  });

  it('stop() abandons the calls in flight', async () => {
    const model = visibilityModel({ hang: () => true });
    const { hb, errors } = started({ ChangeMessageVisibilityBatchCommand: model.batch });
    hb.track('m', 'rh', T0);
    await clock.tickAsync(1_000);
    hb.stop();
    await hb.settled('rh');
    expect(model.calls[0]?.abortedAt).to.equal(T0 + 1_000);
    expect(errors).to.deep.equal([]);
  });
});
