/** Key under which requests without a user agent are counted (Spot filled them with "-"). */
export const MISSING_USER_AGENT = '-';

/**
 * How often each user agent occurs in a window: the proxy word's "frequency of user agent" feature, where a
 * rare agent is a behaviour of its own. It needs the whole window, so a caller counts in a pass before making
 * proxy words. Memory grows with distinct agents, which stay few next to requests.
 */
export class UserAgentCounts {
  private readonly counts = new Map<string, number>();

  add(userAgent: string | undefined, times = 1): void {
    const key = userAgent ?? MISSING_USER_AGENT;
    this.counts.set(key, (this.counts.get(key) ?? 0) + times);
  }

  count(userAgent: string | undefined): number {
    return this.counts.get(userAgent ?? MISSING_USER_AGENT) ?? 0;
  }

  get distinct(): number {
    return this.counts.size;
  }
}
