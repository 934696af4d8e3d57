import { assertHour, powerOfTwoBin, spotCeilLog2Bin, WordInputError } from './binning';
import type { FlowWordInput, FlowWords, WordVariant } from './types';

/** Key port given when both ports are privileged (< 1025). */
export const BOTH_LOW_PORTS_KEY = '111111';
/** Key port given when both ports are ephemeral (>= 1025). */
export const BOTH_HIGH_PORTS_KEY = '333333';
/** Prefix marking the document of the IP that owns the service port. */
const SERVICE_SIDE = '-1_';
/** Parts of a flow word after the key port and protocol: hour, byte bin, packet bin. */
const BINNED_PARTS = 3;

/**
 * What a flow word says of its side's role: the key port and protocol (`80_TCP` of `-1_80_TCP_13_12_5`), and whether
 * this side owns the service port. Words of one service differ only in the parts cut off here.
 */
export function flowWordService(word: string): { service: string; serves: boolean } {
  const serves = word.startsWith(SERVICE_SIDE);
  let end = word.length;
  for (let k = 0; k < BINNED_PARTS && end > 0; k++) end = word.lastIndexOf('_', end - 1);
  return { service: word.slice(serves ? SERVICE_SIDE.length : 0, Math.max(end, 0)), serves };
}

function assertPort(port: number, name: string): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new WordInputError(`${name} must be an integer 0..65535, got ${port}`);
  }
}

/**
 * The two words of a flow. The port rules are the same in the published description and in Spot's code: a
 * key port (the service port, or 0 / 111111 / 333333 when there is none to pick), and `-1_` in front of the
 * word of whichever IP owns the service port, so "serving port 22" and "connecting to port 22" stay different
 * behaviours of an IP. Only the byte and packet bins differ between the variants.
 */
export function flowWords(input: FlowWordInput, variant: WordVariant = 'seed'): FlowWords {
  const { sport, dport } = input;
  assertPort(sport, 'source port');
  assertPort(dport, 'destination port');
  assertHour(input.hour);
  if (input.proto.length === 0) throw new WordInputError('protocol is empty');

  const bin = variant === 'seed' ? powerOfTwoBin : spotCeilLog2Bin;
  const tail = `_${input.proto}_${input.hour}_${bin(input.bytes, 'bytes')}_${bin(input.packets, 'packets')}`;

  let key: string;
  let serviceSide: 'src' | 'dst' | undefined;
  if (sport === 0 && dport === 0) {
    key = '0';
  } else if (sport === 0 || dport === 0) {
    serviceSide = sport === 0 ? 'dst' : 'src';
    key = String(sport === 0 ? dport : sport);
  } else if (sport < 1025 && dport < 1025) {
    key = BOTH_LOW_PORTS_KEY;
  } else if (sport >= 1025 && dport >= 1025) {
    key = BOTH_HIGH_PORTS_KEY;
  } else {
    serviceSide = sport < 1025 ? 'src' : 'dst';
    key = String(sport < 1025 ? sport : dport);
  }

  const base = key + tail;
  return {
    srcWord: serviceSide === 'src' ? SERVICE_SIDE + base : base,
    dstWord: serviceSide === 'dst' ? SERVICE_SIDE + base : base,
  };
}
