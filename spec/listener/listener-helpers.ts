import { SendMessageBatchCommand, type MessageAttributeValue } from '@aws-sdk/client-sqs';
import { SqsListener } from '../../src/listener/listener.js';
import type { ListenerEvents } from '../../src/consume/events.js';
import type { SqsListenerOptions } from '../../src/listener/listener-options.js';
import type { ListenerLogger } from '../../src/aws/logger.js';
import { startTestServer, type TestServer } from '../support/fauxqs.js';

/** A logger that keeps every line, for specs that check what was logged. */
export function memoryLogger() {
  const lines: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
  const at =
    (level: string) =>
    (msg?: unknown, fields?: unknown): void =>
      void lines.push({ level, msg: String(msg), fields: (fields ?? {}) as Record<string, unknown> });
  const logger: ListenerLogger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

/** Records every listener event in arrival order. */
export function recordEvents(listener: SqsListener) {
  const seen: { [K in keyof ListenerEvents]: ListenerEvents[K][] } = {
    started: [], stopped: [], message_received: [], message_processed: [], message_deleted: [], message_retried: [],
    message_dead_lettered: [], message_released: [], message_duplicate: [], error: [],
  };
  for (const name of Object.keys(seen) as (keyof ListenerEvents)[]) {
    listener.on(name, (event: unknown) => void (seen[name] as unknown[]).push(event));
  }
  return seen;
}

/** A listener on the shared fauxqs with test-friendly defaults (short polls, no signal handlers). */
export function testListener(server: TestServer, queueUrl: string, options: Partial<SqsListenerOptions> = {}) {
  const { logger, lines } = memoryLogger();
  const listener = new SqsListener({ queueUrl, client: server.sqs, waitTimeSeconds: 1, handleSignals: false, logger, ...options });
  return { listener, lines, events: recordEvents(listener) };
}

/** Runs `listen()` until `done()` holds (checked every 20 ms), then stops; fails after `timeoutMs`. */
export async function listenUntil(listener: SqsListener, done: () => boolean, timeoutMs = 8_000): Promise<void> {
  const listening = listener.listen();
  const deadline = Date.now() + timeoutMs;
  try {
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await listener.stop();
    await listening;
  }
}

/** Sends bodies (with optional attributes) to a queue in batches of 10. */
export async function sendBodies(server: TestServer, queueUrl: string, bodies: string[], attributes?: Record<string, MessageAttributeValue>): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    const out = await server.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: bodies.slice(i, i + 10).map((body, j) => ({ Id: String(j), MessageBody: body, MessageAttributes: attributes })),
      }),
    );
    if ((out.Failed ?? []).length > 0) throw new Error(`SendMessageBatch failed: ${JSON.stringify(out.Failed)}`);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export { startTestServer };
