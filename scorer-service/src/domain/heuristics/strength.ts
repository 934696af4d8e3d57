import { BEACONING_DEFAULTS, type BeaconingOptions } from './beaconing';
import { BRUTE_FORCE_DEFAULTS, type BruteForceOptions } from './bruteForce';
import { DGA_DEFAULTS, LONG_RANDOM_SUBDOMAIN_DEFAULTS, TUNNELLING_DEFAULTS, type DgaOptions, type LongRandomSubdomainOptions, type TunnellingOptions } from './dns';
import { LATERAL_MOVEMENT_DEFAULTS, type LateralMovementOptions } from './lateralMovement';
import { PORT_SCAN_DEFAULTS, type PortScanOptions } from './portScan';
import type { HeuristicHit } from './types';

/** The thresholds a hit was judged by; the defaults unless the detectors were configured otherwise. */
export interface StrengthThresholds {
  portScan: PortScanOptions;
  bruteForce: BruteForceOptions;
  beaconing: BeaconingOptions;
  lateralMovement: LateralMovementOptions;
  tunnelling: TunnellingOptions;
  dga: DgaOptions;
  longRandomSubdomain: LongRandomSubdomainOptions;
}

export const DEFAULT_STRENGTH_THRESHOLDS: Readonly<StrengthThresholds> = Object.freeze({
  portScan: PORT_SCAN_DEFAULTS,
  bruteForce: BRUTE_FORCE_DEFAULTS,
  beaconing: BEACONING_DEFAULTS,
  lateralMovement: LATERAL_MOVEMENT_DEFAULTS,
  tunnelling: TUNNELLING_DEFAULTS,
  dga: DGA_DEFAULTS,
  longRandomSubdomain: LONG_RANDOM_SUBDOMAIN_DEFAULTS,
});

/** ln of how many times a figure exceeds its threshold, 0 at or below it (and for a figure that is missing). */
function excess(figure: unknown, threshold: number): number {
  return typeof figure === 'number' && figure > threshold ? Math.log(figure / threshold) : 0;
}

/**
 * How strongly a hit's evidence says "attack": 1 for a hit that just crossed its thresholds, plus the ln of how
 * far each defining figure went past its own (a scan of 1,000 ports is stronger than one of 50; a beacon with a
 * coefficient of variation of 0.01 is stronger than one at the 0.2 limit). A graded figure lets the fusion rank
 * a blatant attack above a borderline one, and lets the p-value of a heuristic follow how rare such evidence
 * is in the window.
 */
export function hitStrength(hit: HeuristicHit, thresholds: StrengthThresholds = DEFAULT_STRENGTH_THRESHOLDS): number {
  const e = hit.evidence;
  switch (hit.heuristic) {
    case 'port-scan':
      return 1 + excess(e.probedPairs, thresholds.portScan.minProbedPairs);
    case 'brute-force':
      return 1 + excess(e.attempts, thresholds.bruteForce.minAttempts);
    case 'beaconing': {
      // The more regular, the stronger; a coefficient of variation of a hundredth of the limit counts as exact.
      const cv = typeof e.cv === 'number' ? Math.max(e.cv, thresholds.beaconing.maxCv / 100) : thresholds.beaconing.maxCv;
      return 1 + excess(e.events, thresholds.beaconing.minEvents) + excess(thresholds.beaconing.maxCv / cv, 1);
    }
    case 'lateral-movement':
      return 1 + excess(e.destinations, thresholds.lateralMovement.minDestinations);
    case 'dns-tunnelling':
      return 1 + excess(e.distinctSubdomains, thresholds.tunnelling.minDistinctSubdomains);
    case 'dga':
      return 1 + excess(e.nxResponses, thresholds.dga.minNxResponses) + excess(e.distinctDomains, thresholds.dga.minDistinctDomains);
    case 'long-random-subdomain':
      return 1 + excess(e.subdomainLength, thresholds.longRandomSubdomain.minLength);
    default:
      return 1;
  }
}

/** The heuristic evidence of an event: the strengths of every hit it is part of, added; 0 when it has none. */
export function eventStrength(hits: readonly HeuristicHit[], thresholds: StrengthThresholds = DEFAULT_STRENGTH_THRESHOLDS): number {
  let total = 0;
  for (const hit of hits) total += hitStrength(hit, thresholds);
  return total;
}
