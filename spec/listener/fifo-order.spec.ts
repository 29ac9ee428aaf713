import type { Message } from '@aws-sdk/client-sqs';
import { expect } from 'chai';
import { inGroupOrder } from '../../src/listener/fifo-order.js';
import { tick } from './listener-fakes.js';

const msg = (id: string, group?: string): Message => ({ MessageId: id, ReceiptHandle: `rh-${id}`, Attributes: group ? { MessageGroupId: group } : {} });

function harness(outcomes: Record<string, boolean> = {}) {
  const log: string[] = [];
  const released: string[][] = [];
  let stopping = false;
  const held = new Set<string>();
  const deps = {
    handle: async (m: Message) => {
      log.push(`start:${m.MessageId}`);
      await tick(5);
      log.push(`end:${m.MessageId}`);
      return outcomes[m.MessageId ?? ''] ?? true;
    },
    start: (m: Message) => void deps.handle(m),
    release: async (ms: Message[]) => void released.push(ms.map((m) => m.MessageId ?? '')),
    stopping: () => stopping,
    hold: (m: Message) => {
      held.add(m.MessageId ?? '');
      return () => held.delete(m.MessageId ?? '');
    },
  };
  return { deps, log, released, held, stop: () => (stopping = true) };
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i += 1) await tick(5);
}

describe('listener/fifo-order', () => {
  it('runs ungrouped messages side by side and each group in order, one at a time', async () => {
    const { deps, log, held } = harness();
    inGroupOrder([msg('a1', 'A'), msg('x'), msg('a2', 'A'), msg('b1', 'B'), msg('a3', 'A')], deps);
    // Those queued behind another of their group are kept hidden while they wait.
    expect([...held].sort()).to.deep.equal(['a2', 'a3']);
    await until(() => log.includes('end:a3'));
    const a = log.filter((l) => l.includes(':a'));
    expect(a).to.deep.equal(['start:a1', 'end:a1', 'start:a2', 'end:a2', 'start:a3', 'end:a3']);
    // x, a1 and b1 started together, before anything ended.
    expect(log.slice(0, 3).sort()).to.deep.equal(['start:a1', 'start:b1', 'start:x']);
    expect(held.size).to.equal(0);
  });

  it('releases the rest of a group when one of it is not deleted', async () => {
    const { deps, log, released, held } = harness({ a2: false });
    inGroupOrder([msg('a1', 'A'), msg('a2', 'A'), msg('a3', 'A'), msg('a4', 'A')], deps);
    await until(() => released.length > 0);
    expect(log.filter((l) => l.startsWith('start'))).to.deep.equal(['start:a1', 'start:a2']);
    expect(released).to.deep.equal([['a3', 'a4']]);
    expect(held.size).to.equal(0);
  });

  it('releases the unstarted rest of a group when the listener is stopping', async () => {
    const { deps, log, released, stop } = harness();
    inGroupOrder([msg('a1', 'A'), msg('a2', 'A'), msg('a3', 'A')], deps);
    stop();
    await until(() => released.length > 0);
    expect(log).to.deep.equal(['start:a1', 'end:a1']);
    expect(released).to.deep.equal([['a2', 'a3']]);
  });

  it('ends a hold only once its message is handled, so the handler takes over its heartbeat schedule', async () => {
    const { deps, log, held } = harness();
    const handle = deps.handle;
    deps.handle = async (m: Message) => {
      log.push(`held at start:${m.MessageId}:${held.has(m.MessageId ?? '')}`);
      const deleted = await handle(m);
      log.push(`held at end:${m.MessageId}:${held.has(m.MessageId ?? '')}`);
      return deleted;
    };
    inGroupOrder([msg('a1', 'A'), msg('a2', 'A')], deps);
    await until(() => held.size === 0 && log.includes('end:a2'));
    expect(log.filter((l) => l.includes('a2') && l.startsWith('held'))).to.deep.equal(['held at start:a2:true', 'held at end:a2:true']);
    expect(held.size).to.equal(0);
  });
});
