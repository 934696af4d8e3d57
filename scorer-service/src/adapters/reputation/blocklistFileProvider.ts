import fs from 'node:fs';
import { parseBlocklist, type Blocklist } from '../../enrichment/blocklist';
import type { Indicator, ReputationHit, ReputationProvider } from '../../enrichment/reputation';

/**
 * The built-in reputation provider: a local blocklist file, re-read when its modification time changes (checked
 * at most every `recheckMs`), so an analyst's edit applies to the next batch without a restart. A broken edit
 * keeps the last good list and reports the problem through `lastError`.
 */
export class BlocklistFileProvider implements ReputationProvider {
  readonly name = 'blocklist';
  private list: Blocklist;
  private mtimeMs: number;
  private checkedAt = 0;
  lastError: string | undefined;

  constructor(
    private readonly file: string,
    private readonly recheckMs = 5_000,
  ) {
    const stat = fs.statSync(file);
    this.list = parseBlocklist(fs.readFileSync(file, 'utf8'), file);
    this.mtimeMs = stat.mtimeMs;
  }

  get size(): number {
    return this.list.size;
  }

  /** Re-reads the file if it changed; returns whether a new list is in use. */
  reloadIfChanged(now = Date.now()): boolean {
    this.checkedAt = now;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(this.file);
    } catch (error) {
      this.lastError = `cannot read ${this.file}: ${(error as Error).message}`;
      return false;
    }
    if (stat.mtimeMs === this.mtimeMs) return false;
    try {
      this.list = parseBlocklist(fs.readFileSync(this.file, 'utf8'), this.file);
      this.mtimeMs = stat.mtimeMs;
      this.lastError = undefined;
      return true;
    } catch (error) {
      this.lastError = (error as Error).message;
      return false;
    }
  }

  async check(indicators: readonly Indicator[]): Promise<ReputationHit[]> {
    if (Date.now() - this.checkedAt >= this.recheckMs) this.reloadIfChanged();
    return this.list.hits(this.name, indicators);
  }
}
