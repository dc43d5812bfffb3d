/**
 * Slows password guessing: after `limit` failed sign-ins for one username within `windowMs`, that username is refused
 * for the rest of the window. Per process (several processes each allow `limit`), which bounds guessing without
 * storing attempts; a success clears the count.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly limit = 5,
    private readonly windowMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  blocked(username: string): boolean {
    const entry = this.current(username);
    return entry !== undefined && entry.count >= this.limit;
  }

  failed(username: string): void {
    const entry = this.current(username) ?? { count: 0, since: this.now() };
    entry.count++;
    this.failures.set(username, entry);
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  succeeded(username: string): void {
    this.failures.delete(username);
  }

  private current(username: string) {
    const entry = this.failures.get(username);
    if (entry && this.now() - entry.since > this.windowMs) {
      this.failures.delete(username);
      return undefined;
    }
    return entry;
  }
}
