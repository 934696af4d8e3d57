/** Word creation: turns flow, DNS and proxy events into the words of Spot's suspicious-connects grammar. */
export type {
  DnsWordContext,
  DnsWordInput,
  DomainClassifier,
  FlowWordInput,
  FlowWords,
  ProxyWordContext,
  ProxyWordInput,
  WordVariant,
} from './types';
export { WORD_VARIANTS } from './types';
export { flowWords, flowWordService, BOTH_HIGH_PORTS_KEY, BOTH_LOW_PORTS_KEY } from './flowWords';
export { dnsWord } from './dnsWords';
export { proxyWord, topLevelContentType } from './proxyWords';
export { UserAgentCounts, MISSING_USER_AGENT } from './userAgents';
export { splitDomain, type DomainParts } from './domainNames';
export { stringEntropy } from './entropy';
export {
  ENTROPY_CUTOFFS,
  UNKNOWN_FEATURE,
  WordInputError,
  cutoffBin,
  powerOfTwoBin,
  spotCeilLog2Bin,
  spotTruncatedLog2Bin,
} from './binning';
export {
  dnsRecordFromEvent,
  flowRecordFromEvent,
  proxyRecordFromEvent,
  type DnsRecord,
  type FlowRecord,
  type Mapped,
  type ProxyRecord,
} from './fromEvents';
export { TopDomainClassifier, domainClassifierFor, parseTopDomainList, type DomainClassifierOptions, type TopDomainList } from '../topDomains';
