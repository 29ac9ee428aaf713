import { expect } from 'chai';
import { MessageAbort } from '../../src/consume/message-abort.js';

describe('MessageAbort', () => {
  it('aborts a signal asked for before the abort, with the reason', () => {
    const abort = new MessageAbort();
    const signal = abort.signal;
    let seen: unknown;
    signal.addEventListener('abort', () => (seen = signal.reason));
    abort.abort('timed out');
    expect(signal.aborted).to.equal(true);
    expect(seen).to.equal('timed out');
  });

  it('hands out an already aborted signal when asked only after the abort', () => {
    const abort = new MessageAbort();
    const reason = new Error('shutdown');
    abort.abort(reason);
    abort.abort(new Error('later'));
    expect(abort.signal.aborted).to.equal(true);
    expect(abort.signal.reason).to.equal(reason);
  });

  it('keeps one signal and leaves it live until aborted', () => {
    const abort = new MessageAbort();
    expect(abort.signal).to.equal(abort.signal);
    expect(abort.signal.aborted).to.equal(false);
  });
});

describe('MessageAbort linked to a transport signal', () => {
  it('takes the transport abort that came first, read before or after', () => {
    const transport = new AbortController();
    const early = new MessageAbort(transport.signal);
    const late = new MessageAbort(transport.signal);
    const watched = early.signal;
    transport.abort('shutdown');
    late.abort('timed out');
    expect(watched.reason).to.equal('shutdown');
    expect(late.signal.reason).to.equal('shutdown');
  });

  it('keeps its own abort when it came before the transport one, and stops listening once disposed', () => {
    const transport = new AbortController();
    const abort = new MessageAbort(transport.signal);
    abort.abort('timed out');
    transport.abort('shutdown');
    expect(abort.signal.reason).to.equal('timed out');
    const done = new MessageAbort(transport.signal);
    const other = new AbortController();
    const disposed = new MessageAbort(other.signal);
    const signal = disposed.signal;
    disposed.dispose();
    other.abort('later');
    expect(signal.aborted).to.equal(false);
    expect(done.signal.aborted).to.equal(true);
  });
});
