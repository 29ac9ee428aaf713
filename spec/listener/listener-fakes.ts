import type { SQSClient } from '@aws-sdk/client-sqs';
import sinon from 'sinon';

/** A command the fake client was sent: its class name and input. */
export interface SentCommand {
  name: string;
  input: any;
}

type Responder = (input: any, options: { abortSignal?: AbortSignal } | undefined) => unknown;

/**
 * A stand-in SQSClient for unit tests: `send` is a sinon stub that answers by command class name
 * (a function of the input, possibly async or throwing) and records every call.
 */
export function fakeSqs(responders: Record<string, Responder> = {}) {
  const sent: SentCommand[] = [];
  const send = sinon.stub().callsFake(async (command: { constructor: { name: string }; input: unknown }, options?: { abortSignal?: AbortSignal }) => {
    const name = command.constructor.name;
    sent.push({ name, input: command.input });
    const responder = responders[name];
    if (!responder) return {};
    return responder(command.input, options);
  });
  const client = { send } as unknown as SQSClient;
  return { client, send, sent, of: (name: string) => sent.filter((c) => c.name === name) };
}

/** Answers a batch request with every entry successful. */
export const allSuccessful = (input: { Entries: { Id: string }[] }) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id })), Failed: [] });

/** Resolves after the event loop has run pending callbacks and short timers. */
export const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

/** A ReceiveMessage responder that acts as an empty long poll: `{}` after `ms`, or rejects when aborted. */
export const emptyLongPoll =
  (ms = 50): Responder =>
  (_input, options) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve({}), ms);
      options?.abortSignal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new Error('aborted'));
      });
    });

/** One ChangeMessageVisibilityBatch call seen by `visibilityModel`. */
export interface VisibilityCall {
  at: number;
  handles: string[];
  abortedAt?: number;
}

/**
 * The visibility of messages as SQS keeps it, for specs under fake timers: each receipt handle is
 * hidden until some time, and a visibility change arriving later finds the message already exposed
 * (another consumer could have taken it). Each call takes `latencyMs` (or a time that depends on the
 * visibility timeout it sets); `hang(n)` makes the n-th ChangeMessageVisibilityBatch call (from 0)
 * never answer, only fail when its signal aborts.
 */
export function visibilityModel(options: { latencyMs?: number | ((visibilityTimeout: number) => number); hang?: (call: number) => boolean } = {}) {
  const hiddenUntil = new Map<string, number>();
  const exposed = new Set<string>();
  const calls: VisibilityCall[] = [];
  /** Every visibility change SQS applied, in the order it applied them. */
  const applied: { at: number; handle: string; seconds: number }[] = [];
  const change = (handle: string, seconds: number) => {
    const now = Date.now();
    applied.push({ at: now, handle, seconds });
    if (now >= (hiddenUntil.get(handle) ?? -Infinity)) exposed.add(handle);
    hiddenUntil.set(handle, now + seconds * 1000);
  };
  const batch: Responder = (input: { Entries: { Id: string; ReceiptHandle: string; VisibilityTimeout: number }[] }, sendOptions) =>
    new Promise((resolve, reject) => {
      const call: VisibilityCall = { at: Date.now(), handles: input.Entries.map((e) => e.ReceiptHandle) };
      calls.push(call);
      sendOptions?.abortSignal?.addEventListener('abort', () => {
        call.abortedAt = Date.now();
        reject(sendOptions.abortSignal?.reason);
      });
      if (options.hang?.(calls.length - 1)) return;
      setTimeout(() => {
        for (const e of input.Entries) change(e.ReceiptHandle, e.VisibilityTimeout);
        resolve(allSuccessful(input));
      }, typeof options.latencyMs === 'function' ? options.latencyMs(input.Entries[0]?.VisibilityTimeout ?? 0) : (options.latencyMs ?? 0));
    });
  return {
    batch,
    calls,
    applied,
    /** A receive: the message is hidden for `seconds` from now. */
    receive: (handle: string, seconds: number) => void hiddenUntil.set(handle, Date.now() + seconds * 1000),
    /** Handles whose message was visible at some moment: a late change, or visible now. */
    exposed: (): string[] => [...new Set([...exposed, ...[...hiddenUntil].filter(([, until]) => Date.now() >= until).map(([h]) => h)])].sort(),
    change,
  };
}
