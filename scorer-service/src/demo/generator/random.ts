import { SeededRandom } from '../../domain/lda/random';

/**
 * The generator's source of chance: the project's seeded xoshiro128** plus the draws a network simulation needs.
 * Every part of the day (the network, the benign traffic, each attack) gets its own stream derived from the seed
 * and a name, so that changing the size of the day does not move the hosts or the attack victims.
 */
export class Dice extends SeededRandom {
  private spareNormal: number | undefined;

  static derive(seed: number, stream: string): Dice {
    return new Dice(mix32(seed >>> 0, hashText(stream)));
  }

  /** Uniform integer in [low, high] (both included). */
  between(low: number, high: number): number {
    return low + this.nextInt(high - low + 1);
  }

  /** Uniform real in [low, high). */
  uniform(low: number, high: number): number {
    return low + this.next() * (high - low);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.nextInt(items.length)];
  }

  /** Exponential with the given mean: waiting times between independent events. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Standard normal (Box-Muller, keeping the second value for the next call). */
  normal(): number {
    const spare = this.spareNormal;
    if (spare !== undefined) {
      this.spareNormal = undefined;
      return spare;
    }
    const u = 1 - this.next();
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal around a median with a spread factor (sigma of the log): byte counts, durations, activity levels. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Geometric count >= 1 with the given mean: requests per page, pages per visit. */
  geometric(mean: number): number {
    if (mean <= 1) return 1;
    return 1 + Math.floor(Math.log(1 - this.next()) / Math.log(1 - 1 / mean));
  }

  /** Letters and digits drawn from an alphabet: random-looking names, identifiers, encoded payloads. */
  text(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.nextInt(alphabet.length)];
    return out;
  }
}

/** FNV-1a over UTF-16 code units: a stable number for a name (stream names, domains). */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Mixes two 32-bit values into one well-spread 32-bit value (murmur3's finaliser). */
export function mix32(a: number, b: number): number {
  let h = (a ^ Math.imul(b, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A table for drawing indices in proportion to fixed weights in O(log n): the Zipf popularity of domains, the
 * mix of activities of a host role.
 */
export class WeightedTable {
  private readonly cumulative: Float64Array;
  readonly total: number;

  constructor(weights: readonly number[]) {
    if (weights.length === 0) throw new RangeError('a weighted table needs at least one weight');
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((weight, i) => {
      if (!(weight >= 0) || !Number.isFinite(weight)) throw new RangeError(`weight ${i} is ${weight}, not a finite non-negative number`);
      sum += weight;
      this.cumulative[i] = sum;
    });
    if (sum <= 0) throw new RangeError('a weighted table needs a positive total weight');
    this.total = sum;
  }

  draw(dice: Dice): number {
    return this.at(dice.next());
  }

  /** The index a uniform value in [0, 1) falls on: for draws that come from a hash rather than from dice. */
  at(fraction: number): number {
    return searchCumulative(this.cumulative, fraction * this.total);
  }
}

/** First index whose cumulative weight exceeds the target (the target lies in [0, total)). */
export function searchCumulative(cumulative: Float64Array, target: number, length = cumulative.length): number {
  let low = 0;
  let high = length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (cumulative[middle] > target) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Zipf-like weights for a ranked list: rank r has weight 1 / (r + offset)^exponent. */
export function zipfWeights(count: number, exponent = 1, offset = 1): number[] {
  const weights = new Array<number>(count);
  for (let r = 0; r < count; r++) weights[r] = 1 / Math.pow(r + offset, exponent);
  return weights;
}
