import { setMaxListeners } from 'node:events';

/**
 * The longest one SQS call (the SDK's own retries included) may take before the listener gives up on
 * it as hung. The SDK's default HTTP handler has no such limit, and a black-holed connection would
 * otherwise stall a receive loop, or a delete that shutdown waits for, until the OS gives up.
 */
export const REQUEST_TIMEOUT_MS = 20_000;

/** Send options that abandon the call after `ms`. */
export function timeoutOptions(ms: number = REQUEST_TIMEOUT_MS): { abortSignal: AbortSignal } {
  return { abortSignal: AbortSignal.timeout(ms) };
}

/**
 * Runs `call` with a signal that aborts after `ms` or when `signal` aborts. Linked by hand and
 * unlinked afterwards (rather than AbortSignal.any) so a long-lived `signal` collects nothing per call.
 */
export async function withTimeout<T>(ms: number, signal: AbortSignal, call: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(timedOut(ms)), ms);
  try {
    return await call(controller.signal);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Like withTimeout, for calls whose limit only guards against a hung connection (every receive and
 * delete): the calls that start within the same window (a twentieth of `ms`, at most 1 s) share one
 * deadline signal, so each call costs no AbortController, timer or listener of its own (together
 * several microseconds a call on Node 20). A call is abandoned after `ms`, and at most one window
 * later; when `signal` aborts, at once.
 */
export function withSharedTimeout<T>(ms: number, signal: AbortSignal, call: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
  if (signal.aborted) return call(signal);
  let deadlines = byParent.get(signal);
  if (deadlines === undefined) byParent.set(signal, (deadlines = new DeadlineWindows(signal)));
  return call(deadlines.signalFor(ms));
}

const timedOut = (ms: number) => new Error(`request timed out after ${ms} ms`);

const byParent = new WeakMap<AbortSignal, DeadlineWindows>();

/** The open deadline windows of the calls made under one parent signal, one per limit. */
class DeadlineWindows {
  readonly #open = new Map<number, { readonly closesAt: number; readonly signal: AbortSignal }>();
  /** Windows whose calls may still run: aborted with the parent. */
  readonly #live = new Set<AbortController>();

  constructor(private readonly parent: AbortSignal) {
    parent.addEventListener('abort', () => {
      for (const controller of this.#live) controller.abort(parent.reason);
      this.#live.clear();
    }, { once: true });
  }

  signalFor(ms: number): AbortSignal {
    const now = Date.now();
    const open = this.#open.get(ms);
    if (open !== undefined && now < open.closesAt) return open.signal;
    const width = Math.min(1_000, Math.ceil(ms / 20));
    const controller = new AbortController();
    // Every call of the window listens on it at once (and stops when it ends): no leak to warn of.
    setMaxListeners(0, controller.signal);
    this.#live.add(controller);
    // A call that joins the window at its last moment still gets its whole `ms`.
    const timer = setTimeout(() => {
      this.#live.delete(controller);
      controller.abort(timedOut(ms));
    }, ms + width);
    // Nothing waits on it when no call is left running: it must not keep the process alive.
    timer.unref();
    this.#open.set(ms, { closesAt: now + width, signal: controller.signal });
    return controller.signal;
  }
}
