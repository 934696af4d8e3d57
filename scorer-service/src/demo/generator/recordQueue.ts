import type { DayRecord } from './records';

/**
 * Records generated but not yet written, bucketed by second so the day comes out in time order while sessions
 * are generated a minute at a time. Holds only what is in flight (about a minute of traffic); a cap on that
 * keeps memory bounded whatever the rate, at the price of a few records written slightly out of order.
 */
export class RecordQueue {
  private readonly buckets: (DayRecord[] | undefined)[];
  /** First second not yet written, relative to the queue's start. */
  private cursor = 0;
  size = 0;
  /** Most records ever held at once: the generator's memory in records. */
  peak = 0;

  constructor(
    private readonly startMicros: number,
    private readonly seconds: number,
  ) {
    this.buckets = new Array(seconds);
  }

  /** Queues a record; records outside the queue's span (after the day's end) are dropped. */
  push(record: DayRecord): void {
    let second = Math.floor((record.time - this.startMicros) / 1_000_000);
    if (second >= this.seconds || record.time < this.startMicros) return;
    // A record for a second already written (only when the cap forced an early write) joins the next open one.
    if (second < this.cursor) second = this.cursor;
    let bucket = this.buckets[second];
    if (bucket === undefined) {
      bucket = [];
      this.buckets[second] = bucket;
    }
    bucket.push(record);
    this.size++;
    if (this.size > this.peak) this.peak = this.size;
  }

  /** Writes, in time order, every queued record of the seconds before `untilMicros`. */
  drainUntil(untilMicros: number, emit: (record: DayRecord) => void): void {
    const until = Math.min(this.seconds, Math.floor((untilMicros - this.startMicros) / 1_000_000));
    while (this.cursor < until) this.drainSecond(emit);
  }

  /** Writes the earliest seconds until at most `limit` records are held. */
  drainToSize(limit: number, emit: (record: DayRecord) => void): void {
    while (this.size > limit && this.cursor < this.seconds) this.drainSecond(emit);
  }

  private drainSecond(emit: (record: DayRecord) => void): void {
    const bucket = this.buckets[this.cursor];
    if (bucket !== undefined) {
      if (bucket.length > 1) bucket.sort(byTime);
      for (let i = 0; i < bucket.length; i++) emit(bucket[i]);
      this.size -= bucket.length;
      this.buckets[this.cursor] = undefined;
    }
    this.cursor++;
  }
}

function byTime(a: DayRecord, b: DayRecord): number {
  return a.time - b.time;
}
