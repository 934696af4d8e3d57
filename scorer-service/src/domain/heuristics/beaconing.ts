import { resolveOptions, WindowDetector, type Evidence, type FlowHeuristicInput, type HeuristicHit } from './types';

export interface BeaconingOptions {
  /** Connections needed before regularity means anything. */
  minEvents: number;
  /** Highest coefficient of variation (std / mean) of the intervals that still counts as regular. */
  maxCv: number;
  /** Shortest mean interval, in seconds: faster repeats are bursts (a transfer, a login loop), not check-ins. */
  minMeanIntervalSeconds: number;
  /** Timestamps remembered per pair, so the intervals do not depend on read order; past it, running figures. */
  maxTracked: number;
}

export const BEACONING_DEFAULTS: Readonly<BeaconingOptions> = Object.freeze({
  minEvents: 10,
  maxCv: 0.2,
  minMeanIntervalSeconds: 10,
  maxTracked: 4096,
});

export interface BeaconingEvidence extends Evidence {
  events: number;
  meanIntervalSeconds: number;
  cv: number;
  spanSeconds: number;
  /**
   * Events that arrived earlier than the one before them. Up to `maxTracked` events per pair the intervals are
   * those of the sorted timestamps, whatever the read order; past it they are running figures that leave these
   * out.
   */
  outOfOrder: number;
}

export function judgeBeaconing(subject: string, e: BeaconingEvidence, o: BeaconingOptions): HeuristicHit<BeaconingEvidence> | undefined {
  if (e.events < o.minEvents || e.meanIntervalSeconds < o.minMeanIntervalSeconds || !(e.cv <= o.maxCv)) return undefined;
  return {
    heuristic: 'beaconing',
    subject,
    reason: `${e.events} connections every ${e.meanIntervalSeconds.toFixed(1)} s (coefficient of variation ${e.cv.toFixed(3)}) over ${(e.spanSeconds / 60).toFixed(1)} min`,
    evidence: e,
  };
}

interface IntervalState {
  events: number;
  first: number;
  last: number;
  intervals: number;
  mean: number;
  /** Sum of squared deviations (Welford) of the in-order intervals: the figures past `maxTracked`. */
  m2: number;
  outOfOrder: number;
  /** The pair's timestamps while there are at most `maxTracked`; undefined once it has more. */
  times: Float64Array | undefined;
  stored: number;
}

/**
 * Connections from one source to one service at regular intervals, the check-in of an implant. Each pair keeps
 * its timestamps (up to `maxTracked`, like the other heuristics' distinct sets), sorted when the window is judged,
 * so a window read in storage order rather than time order (a point-in-time read by `_doc`) is judged the same.
 * A pair with more events keeps only a running mean and variance of its in-order intervals (constant memory).
 */
export class BeaconingDetector extends WindowDetector<FlowHeuristicInput, IntervalState, BeaconingEvidence, BeaconingOptions> {
  constructor(options?: Partial<BeaconingOptions>) {
    super(BEACONING_DEFAULTS, options, 'beaconing');
  }

  protected keyOf(flow: FlowHeuristicInput): string {
    return `${flow.srcIp} -> ${flow.dstIp}:${flow.dport}/${flow.proto}`;
  }

  protected override replyKeyOf(flow: FlowHeuristicInput): string | undefined {
    return `${flow.dstIp} -> ${flow.srcIp}:${flow.sport}/${flow.proto}`;
  }

  protected createState(): IntervalState {
    return { events: 0, first: 0, last: 0, intervals: 0, mean: 0, m2: 0, outOfOrder: 0, times: new Float64Array(4), stored: 0 };
  }

  protected update(s: IntervalState, flow: FlowHeuristicInput): void {
    s.events++;
    if (s.times !== undefined) {
      if (s.stored === this.options.maxTracked) {
        s.times = undefined;
      } else {
        if (s.stored === s.times.length) {
          const grown = new Float64Array(Math.min(this.options.maxTracked, s.times.length * 2));
          grown.set(s.times);
          s.times = grown;
        }
        s.times[s.stored++] = flow.timestamp;
      }
    }
    if (s.events === 1) {
      s.first = s.last = flow.timestamp;
      return;
    }
    if (flow.timestamp < s.last) {
      s.outOfOrder++;
      return;
    }
    const interval = (flow.timestamp - s.last) / 1000;
    s.last = flow.timestamp;
    s.intervals++;
    const delta = interval - s.mean;
    s.mean += delta / s.intervals;
    s.m2 += delta * (interval - s.mean);
  }

  protected judge(subject: string, s: IntervalState): HeuristicHit<BeaconingEvidence> | undefined {
    if (s.times !== undefined) return this.judgeSorted(subject, s, s.times.slice(0, s.stored).sort());
    if (s.intervals === 0) return undefined;
    const std = Math.sqrt(s.m2 / s.intervals);
    const evidence: BeaconingEvidence = {
      events: s.events,
      meanIntervalSeconds: s.mean,
      cv: s.mean > 0 ? std / s.mean : Infinity,
      spanSeconds: (s.last - s.first) / 1000,
      outOfOrder: s.outOfOrder,
    };
    return judgeBeaconing(subject, evidence, this.options);
  }

  /** The figures of every interval between consecutive timestamps, sorted. */
  private judgeSorted(subject: string, s: IntervalState, times: Float64Array): HeuristicHit<BeaconingEvidence> | undefined {
    if (times.length < 2) return undefined;
    let mean = 0;
    let m2 = 0;
    for (let i = 1; i < times.length; i++) {
      const interval = (times[i] - times[i - 1]) / 1000;
      const delta = interval - mean;
      mean += delta / i;
      m2 += delta * (interval - mean);
    }
    const std = Math.sqrt(m2 / (times.length - 1));
    const evidence: BeaconingEvidence = {
      events: s.events,
      meanIntervalSeconds: mean,
      cv: mean > 0 ? std / mean : Infinity,
      spanSeconds: (times[times.length - 1] - times[0]) / 1000,
      outOfOrder: s.outOfOrder,
    };
    return judgeBeaconing(subject, evidence, this.options);
  }
}
