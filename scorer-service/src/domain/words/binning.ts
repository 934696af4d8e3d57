/**
 * The bins words are made of. The published rule: the bin of a value is the index of the first cutoff that is
 * greater than or equal to the value. Spot's code replaced the power-of-two cutoffs with log2 roundings; both are
 * here so the variant can be chosen.
 */

/** A value that cannot become a word feature; the message says which feature and why. */
export class WordInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WordInputError';
  }
}

function assertCount(value: number, feature: string): void {
  // `!(value >= 0)` is also true for NaN, which a plain `value < 0` would let through.
  if (!(value >= 0) || value === Infinity) {
    throw new WordInputError(`${feature} must be a finite number >= 0, got ${value}`);
  }
}

/** Stands for a numeric feature the source did not record, so such events share a word instead of being dropped. */
export const UNKNOWN_FEATURE = '-1';

/** Entropy cutoffs of the published description (bits); 20 stands in for "anything higher". */
export const ENTROPY_CUTOFFS: readonly number[] = [
  0.0, 0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.1, 2.4, 2.7, 3.0, 3.3, 3.6, 3.9, 4.2, 4.5, 4.8, 5.1, 5.4, 20,
];

/**
 * Index of the first cutoff >= value; a value above every cutoff gets `cutoffs.length` so it still has a bin of
 * its own rather than colliding with a real one.
 */
export function cutoffBin(value: number, cutoffs: readonly number[], feature = 'value'): number {
  if (Number.isNaN(value)) throw new WordInputError(`${feature} is not a number`);
  for (let i = 0; i < cutoffs.length; i++) {
    if (value <= cutoffs[i]) return i;
  }
  return cutoffs.length;
}

/**
 * The bin over the cutoffs (0, 1, 2, 4, 8, ...): 0 for 0, 1 for (0, 1], k + 1 for (2^(k-1), 2^k].
 * The cutoffs are integers, so ceil(value) falls in the same bin as value, and ceil(log2(n)) of an integer n is
 * read off its bit length instead of a floating-point logarithm that can land a hair off at exact powers of two.
 */
export function powerOfTwoBin(value: number, feature = 'value'): number {
  assertCount(value, feature);
  if (value === 0) return 0;
  return ceilLog2(Math.ceil(value)) + 1;
}

/** ceil(log2(n)) for n >= 1. */
export function ceilLog2(n: number): number {
  if (n <= 0x80000000) return 32 - Math.clz32(n - 1);
  let bits = 31;
  let power = 0x80000000;
  while (power < n) {
    power *= 2;
    bits++;
  }
  return bits;
}

/** Spot's code for flow bytes and packets: ceil(log2(x + 1)). */
export function spotCeilLog2Bin(value: number, feature = 'value'): number {
  assertCount(value, feature);
  return ceilLog2(Math.floor(value) + 1);
}

/** Spot's code for DNS and proxy counts: truncated log2(x), and 0 for 0. */
export function spotTruncatedLog2Bin(value: number, feature = 'value'): number {
  assertCount(value, feature);
  const n = Math.floor(value);
  if (n <= 1) return 0;
  if (n <= 0xffffffff) return 31 - Math.clz32(n);
  return Math.floor(Math.log2(n));
}

export function assertHour(hour: number): void {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
    throw new WordInputError(`hour must be an integer 0..23, got ${hour}`);
  }
}
