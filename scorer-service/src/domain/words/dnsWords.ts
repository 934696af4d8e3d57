import { assertHour, cutoffBin, ENTROPY_CUTOFFS, powerOfTwoBin, spotTruncatedLog2Bin, UNKNOWN_FEATURE, WordInputError } from './binning';
import { splitDomain } from './domainNames';
import { stringEntropy } from './entropy';
import type { DnsWordContext, DnsWordInput } from './types';

function countChar(text: string, char: string): number {
  let count = 0;
  for (let i = text.indexOf(char); i !== -1; i = text.indexOf(char, i + 1)) count++;
  return count;
}

/**
 * The word of a DNS event, put in the document of the client that asked:
 * top-domain class, frame length, hour, subdomain length, subdomain entropy, periods, query type, response code.
 * The seed variant counts the periods of the subdomain with cutoff bins; Spot's code counted the labels of the
 * whole name and binned lengths with a truncated log2.
 */
export function dnsWord(input: DnsWordInput, ctx: DnsWordContext): string {
  if (input.queryName.length === 0) throw new WordInputError('query name is empty');
  assertHour(input.hour);
  const parts = splitDomain(input.queryName);
  const topDomainClass = ctx.domains.classifyParts(parts);
  const subdomain = parts.subdomain;
  const entropyBin = cutoffBin(stringEntropy(subdomain), ENTROPY_CUTOFFS, 'subdomain entropy');

  let frame: string | number = UNKNOWN_FEATURE;
  let lengthBin: number;
  let periodsBin: number;
  if (ctx.variant === 'seed') {
    if (input.frameLength !== undefined) frame = powerOfTwoBin(input.frameLength, 'frame length');
    lengthBin = powerOfTwoBin(subdomain.length);
    periodsBin = powerOfTwoBin(countChar(subdomain, '.'));
  } else {
    if (input.frameLength !== undefined) frame = spotTruncatedLog2Bin(input.frameLength, 'frame length');
    lengthBin = spotTruncatedLog2Bin(subdomain.length);
    periodsBin = spotTruncatedLog2Bin(countChar(parts.name, '.') + 1);
  }
  const queryType = input.queryType ?? UNKNOWN_FEATURE;
  const responseCode = input.responseCode ?? UNKNOWN_FEATURE;
  return `${topDomainClass}_${frame}_${input.hour}_${lengthBin}_${entropyBin}_${periodsBin}_${queryType}_${responseCode}`;
}
