import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BinarySubscriber, DataSubscriber, PlaintextSubscriber } from '../dispatch/data-subscribers.js';
import { EventSubscriber } from '../dispatch/event-subscriber.js';
import type { SubscriberClass } from '../dispatch/subscriber.js';
import { MessageSubscriber } from '../dispatch/subscriber.js';
import { CliFailure } from './errors.js';

export type SubscriberExport = SubscriberClass | MessageSubscriber;

// The library's own base classes may be re-exported by a user module; they are not subscribers.
const BASES = new Set<unknown>([MessageSubscriber, EventSubscriber, DataSubscriber, PlaintextSubscriber, BinarySubscriber]);

/**
 * Imports a module (a path, relative to the working directory) and returns the subscribers it
 * exports: concrete subclasses of MessageSubscriber, instances of one, or arrays of either. Order:
 * `default` first, then named exports alphabetically (how ES module namespaces list them), items of
 * an array in array order. TypeScript modules load when node runs with a loader such as tsx.
 */
export async function loadSubscribers(modulePath: string): Promise<SubscriberExport[]> {
  const absolute = resolve(modulePath);
  const info = await stat(absolute).catch(() => undefined);
  if (info === undefined || !info.isFile()) throw new CliFailure(`subscriber module ${modulePath} not found (resolved to ${absolute})`);
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(absolute).href)) as Record<string, unknown>;
  } catch (error) {
    const hint = /\.ts$/.test(absolute) && (error as NodeJS.ErrnoException).code === 'ERR_UNKNOWN_FILE_EXTENSION' ? ' (run node with --import tsx to load TypeScript)' : '';
    throw new CliFailure(`cannot import ${modulePath}: ${(error as Error).message}${hint}`, { cause: error });
  }
  const names = Object.keys(exports).sort((a, b) => (a === 'default' ? -1 : b === 'default' ? 1 : 0));
  const found: SubscriberExport[] = [];
  const seen = new Set<unknown>();
  const lookalikes: string[] = [];
  for (const name of names) {
    const value = exports[name];
    for (const item of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (isSubscriber(item)) {
        if (!seen.has(item)) found.push(item);
        seen.add(item);
      } else if (looksLikeSubscriber(item)) {
        if (!lookalikes.includes(name)) lookalikes.push(name);
      }
    }
  }
  if (found.length === 0) {
    const why =
      lookalikes.length > 0
        ? `: ${lookalikes.join(', ')} look like subscribers but do not extend this copy of sqs-mega's classes (is sqs-mega installed twice?)`
        : '; export subscriber classes (extends EventSubscriber, DataSubscriber, ...) or instances';
    throw new CliFailure(`${modulePath} exports no subscribers${why}`);
  }
  return found;
}

function isSubscriber(value: unknown): value is SubscriberExport {
  if (value instanceof MessageSubscriber) return true;
  return typeof value === 'function' && value.prototype instanceof MessageSubscriber && !BASES.has(value);
}

function looksLikeSubscriber(value: unknown): boolean {
  const proto: unknown = typeof value === 'function' ? value.prototype : undefined;
  return typeof proto === 'object' && proto !== null && typeof (proto as { process?: unknown }).process === 'function';
}
