/**
 * Splits delimited lines without making a string per field: it records where each field starts and ends,
 * and only the fields a decoder reads become strings. With 48 nfdump columns of which about 15 are used,
 * this is most of the difference between 200k and 300k+ flows a second. No quoting: the formats that use it
 * (nfdump, Argus, CICFlowMeter, Zeek TSV) never quote.
 */
export class FieldSplitter {
  private starts: Int32Array;
  private ends: Int32Array;
  private line = '';
  /** Number of fields in the last line split (all of them, even beyond the capacity). */
  count = 0;

  constructor(
    private readonly separator: string,
    capacity = 64,
  ) {
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }

  /** Splits `line` and returns its field count. */
  split(line: string): number {
    this.line = line;
    if (line.length === 0) {
      this.count = 0;
      return 0;
    }
    const separator = this.separator;
    let count = 0;
    let start = 0;
    for (;;) {
      const end = line.indexOf(separator, start);
      if (count === this.starts.length) this.grow();
      this.starts[count] = start;
      this.ends[count] = end === -1 ? line.length : end;
      count++;
      if (end === -1) break;
      start = end + 1;
    }
    this.count = count;
    return count;
  }

  /** Field `i` of the last line split; `''` past the end. */
  get(i: number): string {
    return i < this.count ? this.line.slice(this.starts[i], this.ends[i]) : '';
  }

  /** Every field of the last line split, for the few places that need them all. */
  all(): string[] {
    const fields = new Array<string>(this.count);
    for (let i = 0; i < this.count; i++) fields[i] = this.line.slice(this.starts[i], this.ends[i]);
    return fields;
  }

  private grow(): void {
    const starts = new Int32Array(this.starts.length * 2);
    const ends = new Int32Array(this.ends.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }
}
