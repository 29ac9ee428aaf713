/**
 * A message's abort switch (its handler timed out, or the transport's signal aborted: shutdown, the
 * function's deadline) whose AbortSignal is created, and linked to the transport's signal, only when
 * someone asks for it. An AbortController and an abort listener on the shared signal cost several
 * microseconds per message, a noticeable share of its processing, and most subscribers never read
 * `context.signal`; one read after an abort gets a signal already aborted with the first reason.
 */
export class MessageAbort {
  private controller: AbortController | undefined;
  private aborted = false;
  private reason: unknown;
  private onParentAbort: (() => void) | undefined;

  constructor(private readonly parent?: AbortSignal) {}

  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (!this.aborted && this.parent?.aborted) this.abort(this.parent.reason);
      if (this.aborted) this.controller.abort(this.reason);
      else if (this.parent) {
        const parent = this.parent;
        this.onParentAbort = () => this.abort(parent.reason);
        parent.addEventListener('abort', this.onParentAbort, { once: true });
      }
    }
    return this.controller.signal;
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    // The transport's signal may have aborted while nobody listened: that came first.
    this.reason = this.parent?.aborted ? this.parent.reason : reason;
    this.aborted = true;
    this.controller?.abort(this.reason);
  }

  /** The message is done: stop listening to the transport's signal. */
  dispose(): void {
    if (this.onParentAbort) this.parent?.removeEventListener('abort', this.onParentAbort);
    this.onParentAbort = undefined;
  }
}
