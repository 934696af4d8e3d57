/**
 * Reputation through pluggable providers. Spot merged services by overwriting a dict (the last service won) for
 * flows; here every provider's answer for every indicator is kept, and the event's level is the highest of them.
 */

/** -1 unknown, 0 none, 1 low, 2 medium, 3 high (Spot's normalisation of GTI and ThreatExchange). */
export type ReputationLevel = -1 | 0 | 1 | 2 | 3;

export interface Indicator {
  kind: 'ip' | 'domain' | 'url';
  value: string;
}

export interface ReputationHit {
  provider: string;
  indicator: string;
  level: ReputationLevel;
  label: string;
  categories?: string[];
}

export interface ReputationProvider {
  readonly name: string;
  /** Answers for the indicators it knows something about; the others are left out. */
  check(indicators: readonly Indicator[]): Promise<ReputationHit[]>;
}

export interface Reputation {
  level: ReputationLevel;
  hits: ReputationHit[];
}

/** The highest level wins; providers never overwrite each other; no hit at all is level 0. */
export function mergeReputation(hits: readonly ReputationHit[]): Reputation {
  let level: ReputationLevel = 0;
  let anyHit = false;
  for (const hit of hits) {
    if (!anyHit || hit.level > level) level = hit.level;
    anyHit = true;
  }
  return { level: anyHit ? level : 0, hits: [...hits] };
}

/**
 * Asks every provider; one that fails shows up as an `unavailable` hit of level -1 for each indicator, so an
 * analyst sees that the answer is missing rather than reading silence as "clean".
 */
export async function checkReputation(providers: readonly ReputationProvider[], indicators: readonly Indicator[]): Promise<ReputationHit[]> {
  if (indicators.length === 0 || providers.length === 0) return [];
  const answers = await Promise.all(
    providers.map(async (provider) => {
      try {
        return await provider.check(indicators);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return indicators.map((indicator) => ({
          provider: provider.name,
          indicator: indicator.value,
          level: -1 as const,
          label: `unavailable: ${reason}`,
        }));
      }
    }),
  );
  return answers.flat();
}
