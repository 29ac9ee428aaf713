/**
 * A deadline that many messages share (a Lambda invocation's, less its margin): each races it with
 * no timer of its own, and the one timer starts with the first race. Call `dispose()` once the
 * messages are done with it.
 */
export class SharedDeadline {
  readonly #waiting: ((value: undefined) => void)[] = [];
  #timer: NodeJS.Timeout | undefined;
  #passed = false;

  /** `at`: the deadline, in Date.now() milliseconds. */
  constructor(readonly at: number) {}

  /** Like withinDeadline: `work`'s value, or `undefined` once the deadline passed first. */
  race<T>(work: Promise<T>): Promise<T | undefined> {
    return new Promise<T | undefined>((resolve, reject) => {
      work.then(resolve, reject);
      // Already passed: a timer of its own, as withinDeadline would set, still lets a work done by now win.
      if (this.#passed) setTimeout(resolve, 0, undefined);
      else {
        this.#waiting.push(resolve);
        this.#timer ??= setTimeout(() => this.#pass(), Math.max(0, this.at - Date.now()));
      }
    });
  }

  #pass(): void {
    this.#passed = true;
    for (const resolve of this.#waiting.splice(0)) resolve(undefined);
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#waiting.length = 0;
  }
}
