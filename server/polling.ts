// The timer the background workers share (email outbox, webhook sender, order sync):
// a pass every interval, never two at once, and a stop that waits for the pass under way.

export class Poller<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;

  /** `failed` logs a pass the timer started that threw (the database busy or gone); the next tick tries again. */
  constructor(
    private readonly pass: () => Promise<T>,
    private readonly failed: (err: unknown) => void,
  ) {}

  start(intervalMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.run().catch(this.failed);
    }, intervalMs);
    this.timer.unref();
  }

  /** Clears the timer and waits for the pass under way, if any (its failure is not rethrown). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  /** Starts a pass now, or joins the one under way. A pass that throws before its first await rejects like any other. */
  run(): Promise<T> {
    this.running ??= this.started().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private started(): Promise<T> {
    try {
      return this.pass();
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
