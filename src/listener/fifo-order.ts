import type { Message } from '@aws-sdk/client-sqs';

/** What `inGroupOrder` needs from the listener. */
export interface GroupOrderDeps {
  /** Processes one message of a group to its end; true when it was deleted. */
  handle: (message: Message) => Promise<boolean>;
  /** Processes a message without a group: nothing waits for its end. */
  start: (message: Message) => void;
  /** Gives back messages that will not be processed this time (visibility 0, capacity released). */
  release: (messages: Message[]) => Promise<void>;
  /** True once the listener is stopping: unstarted messages are released, not processed. */
  stopping: () => boolean;
  /**
   * Keeps a waiting message hidden (heartbeat); returns what ends that. When its turn comes the
   * handler takes the hold over (same receipt handle), and the hold ends once it is handled.
   */
  hold: (message: Message) => () => void;
}

/**
 * Splits a received batch by FIFO message group: messages without a group run at once, side by side;
 * those of one group run one after the other, in the order SQS gave them. When one of a group is not
 * deleted (a retry, a failure) the rest of that group is released rather than processed out of order:
 * SQS keeps the group locked behind the retried message and hands them back after it.
 */
export function inGroupOrder(messages: readonly Message[], deps: GroupOrderDeps): void {
  let groups: Map<string, Message[]> | undefined;
  for (const message of messages) {
    const group = message.Attributes?.MessageGroupId;
    if (group === undefined) {
      deps.start(message);
      continue;
    }
    groups ??= new Map();
    const chain = groups.get(group);
    if (chain) chain.push(message);
    else groups.set(group, [message]);
  }
  if (groups) for (const chain of groups.values()) void runChain(chain, deps);
}

async function runChain(chain: Message[], deps: GroupOrderDeps): Promise<void> {
  // The ones queued behind the first must not reappear while they wait their turn.
  const held = chain.map((message, i) => (i === 0 ? () => {} : deps.hold(message)));
  const giveBack = async (from: number) => {
    for (const unhold of held.slice(from)) unhold();
    await deps.release(chain.slice(from));
  };
  for (let i = 0; i < chain.length; i += 1) {
    if (deps.stopping()) {
      await giveBack(i);
      return;
    }
    const deleted = await deps.handle(chain[i] as Message);
    held[i]?.();
    if (!deleted && i + 1 < chain.length) {
      await giveBack(i + 1);
      return;
    }
  }
}
