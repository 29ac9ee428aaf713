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
