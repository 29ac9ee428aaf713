const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
export type ShutdownSignal = (typeof SIGNALS)[number];

/**
 * Installs SIGTERM/SIGINT handlers that ask for a graceful stop; a second signal asks to hurry
 * (skip the wait for running handlers). Returns a function that removes exactly these handlers,
 * so the process's default behaviour (and other libraries' handlers) come back after the listener.
 */
export function onShutdownSignals(stop: (signal: ShutdownSignal) => void, hurry: (signal: ShutdownSignal) => void): () => void {
  let received = 0;
  const handler = (signal: ShutdownSignal) => {
    received += 1;
    if (received === 1) stop(signal);
    else hurry(signal);
  };
  for (const signal of SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of SIGNALS) process.off(signal, handler);
  };
}

/** Resolves when `work` settles or `ms` passes, whichever is first; true when the work finished in time. */
export async function withDeadline(work: Promise<unknown>, ms: number, hurry?: AbortSignal): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  let onHurry: (() => void) | undefined;
  const expired = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    onHurry = () => resolve(false);
    if (hurry?.aborted) resolve(false);
    hurry?.addEventListener('abort', onHurry, { once: true });
  });
  try {
    return await Promise.race([work.then(() => true as const), expired]);
  } finally {
    clearTimeout(timer);
    if (onHurry) hurry?.removeEventListener('abort', onHurry);
  }
}
