import { assertHour, cutoffBin, ENTROPY_CUTOFFS, powerOfTwoBin, spotTruncatedLog2Bin, UNKNOWN_FEATURE, WordInputError } from './binning';
import { splitDomain } from './domainNames';
import { stringEntropy } from './entropy';
import type { ProxyWordContext, ProxyWordInput } from './types';

/** Spot's fill for a missing text feature (content type, user agent, method). */
const MISSING_TEXT = '-';

/** The top-level part of a content type (`text` of `text/html; charset=utf-8`). */
export function topLevelContentType(contentType: string | undefined): string {
  if (contentType === undefined) return MISSING_TEXT;
  const trimmed = contentType.trim();
  if (trimmed.length === 0) return MISSING_TEXT;
  const slash = trimmed.indexOf('/');
  return slash === -1 ? trimmed : trimmed.slice(0, slash);
}

/**
 * The word of a proxy request, put in the document of the client:
 * top-domain class of the host, hour, method, URI entropy, top-level content type, user-agent frequency, status.
 * Spot's code also put the binned URI length before the status and binned the agent count with a truncated log2.
 */
export function proxyWord(input: ProxyWordInput, ctx: ProxyWordContext): string {
  if (input.host.length === 0) throw new WordInputError('host is empty');
  const status = input.responseCode;
  if (status !== undefined && (!Number.isInteger(status) || status < 0)) {
    throw new WordInputError(`response code must be a non-negative integer, got ${status}`);
  }
  assertHour(input.hour);
  const topDomainClass = ctx.domains.classifyParts(splitDomain(input.host));
  const entropyBin = cutoffBin(stringEntropy(input.uri), ENTROPY_CUTOFFS, 'URI entropy');
  const contentType = topLevelContentType(input.contentType);
  const agents = ctx.userAgentCount(input.userAgent);
  const method = input.method === undefined || input.method.length === 0 ? MISSING_TEXT : input.method;
  const statusFeature = status ?? UNKNOWN_FEATURE;
  const head = `${topDomainClass}_${input.hour}_${method}_${entropyBin}_${contentType}`;
  if (ctx.variant === 'seed') {
    return `${head}_${powerOfTwoBin(agents, 'user-agent count')}_${statusFeature}`;
  }
  const uriLength = spotTruncatedLog2Bin(input.uri.length);
  return `${head}_${spotTruncatedLog2Bin(agents, 'user-agent count')}_${uriLength}_${statusFeature}`;
}
