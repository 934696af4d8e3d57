import type { Threat } from '../../api/types';

export interface ThreatFilter {
  /** Case-insensitive substring of an IP, query name, host, URL or heuristic tag. */
  text: string;
  hideRated: boolean;
}

/** Whether an analyst has rated the threat, in this session or before. */
export function isRated(threat: Threat, localFeedback: ReadonlyMap<string, { rating?: number }>): boolean {
  return threat.rating !== undefined || localFeedback.get(threat.id)?.rating !== undefined;
}

export function filterThreats(threats: Threat[], filter: ThreatFilter, localFeedback: ReadonlyMap<string, { rating?: number }>): Threat[] {
  const needle = filter.text.trim().toLowerCase();
  return threats.filter((threat) => {
    if (filter.hideRated && isRated(threat, localFeedback)) {
      return false;
    }
    if (!needle) {
      return true;
    }
    const haystack = [threat.srcIp, threat.dstIp, threat.dnsQuery, threat.domain, threat.url, ...threat.heuristics];
    return haystack.some((value) => value !== undefined && value.toLowerCase().includes(needle));
  });
}
