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
  const timer = setTimeout(() => controller.abort(new Error(`request timed out after ${ms} ms`)), ms);
  try {
    return await call(controller.signal);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}
