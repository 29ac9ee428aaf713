// An in-process listener wired for the scenarios: it talks to fauxqs through the fault proxy and
// tallies every numbered message it finished.
import type { SQSClient } from '@aws-sdk/client-sqs';
import { SqsListener } from '../../src/listener/listener.js';
import type { SqsListenerOptions } from '../../src/listener/listener-options.js';
import type { ListenerLogger } from '../../src/aws/logger.js';
import { DataSubscriber } from '../../src/dispatch/data-subscribers.js';
import { any } from '../../src/match/dsl.js';
import type { DataObject } from '../../src/protocol/types.js';
import { clientVia, Tally } from './support.js';

export interface CountingLogger extends ListenerLogger {
  counts: Record<'debug' | 'info' | 'warn' | 'error', number>;
  lines: string[];
}

/** Keeps the last lines (as text) and counts lines per level. */
export function countingLogger(keep = 200): CountingLogger {
  const counts = { debug: 0, info: 0, warn: 0, error: 0 };
  const lines: string[] = [];
  const at =
    (level: keyof typeof counts) =>
    (...args: unknown[]): void => {
      counts[level] += 1;
      lines.push(`${level} ${JSON.stringify(args)}`);
      if (lines.length > keep) lines.shift();
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), counts, lines };
}

export interface CountingListener {
  listener: SqsListener;
  client: SQSClient;
  tally: Tally;
  logger: CountingLogger;
  errors: number;
}

/** A listener through `endpoint` whose subscriber tallies `seq` of each message after `workMs`. */
export function countingListener(queueUrl: string, endpoint: string, options: Partial<SqsListenerOptions> & { workMs?: number; sdkMaxAttempts?: number } = {}): CountingListener {
  const { workMs = 2, sdkMaxAttempts, ...rest } = options;
  const tally = new Tally();
  class Numbered extends DataSubscriber {
    pattern = { seq: any() };
    async process(payload: DataObject): Promise<void> {
      if (workMs > 0) await new Promise((resolve) => setTimeout(resolve, workMs));
      tally.add(Number(payload.seq));
    }
  }
  const client = clientVia(endpoint, { maxAttempts: sdkMaxAttempts });
  const logger = countingLogger();
  const listener = new SqsListener({ queueUrl, client, waitTimeSeconds: 1, handleSignals: false, logger, ...rest });
  listener.registerSubscriber(Numbered);
  const result: CountingListener = { listener, client, tally, logger, errors: 0 };
  listener.on('error', () => void (result.errors += 1));
  return result;
}
