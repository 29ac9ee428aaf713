import { expect } from 'chai';
import { ListenerEventEmitter } from '../../src/consume/events.js';

describe('consume/events', () => {
  it('delivers typed payloads to on and once handlers and stops after off', () => {
    const emitter = new ListenerEventEmitter(() => {});
    const seen: string[] = [];
    const handler = (e: { messageId: string }) => seen.push(`on:${e.messageId}`);
    emitter.on('message_deleted', handler).once('message_deleted', (e) => seen.push(`once:${e.messageId}`));
    emitter.emit('message_deleted', { messageId: 'a' });
    emitter.emit('message_deleted', { messageId: 'b' });
    emitter.off('message_deleted', handler);
    emitter.emit('message_deleted', { messageId: 'c' });
    expect(seen).to.deep.equal(['on:a', 'once:a', 'on:b']);
    expect(emitter.has('message_deleted')).to.equal(false);
  });

  it('does not throw on an unhandled error event and reports throwing handlers', () => {
    const reported: string[] = [];
    const emitter = new ListenerEventEmitter((error, event) => reported.push(`${event}:${(error as Error).message}`));
    emitter.emit('error', { error: new Error('x'), stage: 'receive' });
    let after = false;
    emitter.on('started', () => {
      throw new Error('boom');
    });
    emitter.on('started', () => (after = true));
    emitter.emit('started', { queueUrl: 'q' });
    expect(reported).to.deep.equal(['started:boom']);
    expect(after).to.equal(true);
  });
});
