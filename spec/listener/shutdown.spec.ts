import { expect } from 'chai';
import { onShutdownSignals, withDeadline } from '../../src/listener/shutdown.js';

describe('listener/shutdown', () => {
  it('installs SIGTERM/SIGINT handlers and removes exactly them', () => {
    const before = { term: process.listenerCount('SIGTERM'), int: process.listenerCount('SIGINT') };
    const calls: string[] = [];
    const remove = onShutdownSignals((s) => calls.push(`stop:${s}`), (s) => calls.push(`hurry:${s}`));
    expect(process.listenerCount('SIGTERM')).to.equal(before.term + 1);
    process.emit('SIGTERM', 'SIGTERM');
    process.emit('SIGINT', 'SIGINT');
    remove();
    expect(calls).to.deep.equal(['stop:SIGTERM', 'hurry:SIGINT']);
    expect(process.listenerCount('SIGTERM')).to.equal(before.term);
    expect(process.listenerCount('SIGINT')).to.equal(before.int);
  });

  it('withDeadline says whether the work finished in time', async () => {
    expect(await withDeadline(Promise.resolve(), 1_000)).to.equal(true);
    expect(await withDeadline(new Promise(() => {}), 10)).to.equal(false);
    const hurry = new AbortController();
    const raced = withDeadline(new Promise(() => {}), 60_000, hurry.signal);
    hurry.abort();
    expect(await raced).to.equal(false);
  });
});
