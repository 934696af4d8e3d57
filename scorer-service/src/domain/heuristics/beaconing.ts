import { resolveOptions, WindowDetector, type Evidence, type FlowHeuristicInput, type HeuristicHit } from './types';

export interface BeaconingOptions {
  /** Connections needed before regularity means anything. */
  minEvents: number;
  /** Highest coefficient of variation (std / mean) of the intervals that still counts as regular. */
  maxCv: number;
  /** Shortest mean interval, in seconds: faster repeats are bursts (a transfer, a login loop), not check-ins. */
  minMeanIntervalSeconds: number;
}

export const BEACONING_DEFAULTS: Readonly<BeaconingOptions> = Object.freeze({
  minEvents: 10,
  maxCv: 0.2,
  minMeanIntervalSeconds: 10,
});

export interface BeaconingEvidence extends Evidence {
  events: number;
  meanIntervalSeconds: number;
  cv: number;
  spanSeconds: number;
  /** Events that arrived earlier than the one before them; left out of the intervals. */
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
  /** Sum of squared deviations (Welford), so the variance needs no stored timestamps. */
  m2: number;
  outOfOrder: number;
}

/**
 * Connections from one source to one service at regular intervals, the check-in of an implant. Each pair keeps
 * a running mean and variance of its inter-arrival times (constant memory), which needs the events in time
 * order per pair, as a window read sorted by @timestamp delivers them.
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
    return { events: 0, first: 0, last: 0, intervals: 0, mean: 0, m2: 0, outOfOrder: 0 };
  }

  protected update(s: IntervalState, flow: FlowHeuristicInput): void {
    s.events++;
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
}
