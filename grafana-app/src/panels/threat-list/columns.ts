import type { DataType, Threat } from '../../api/types';
import { autoencoderRatio, fusedRankOf, fusedScoreOf, type ThreatSortKey } from './threatFigures';

export type ColumnKind = 'rank' | 'time' | 'endpoint' | 'text' | 'number' | 'fusedScore' | 'ldaScore' | 'autoencoder' | 'tags' | 'reputation';

export interface ColumnDef {
  id: string;
  header: string;
  /** CSS grid track size. */
  width: string;
  kind: ColumnKind;
  value: (threat: Threat) => string | number | undefined;
  side?: 'src' | 'dst';
  /** The order a click on the header sorts by; columns without one do not sort. */
  sortKey?: ThreatSortKey;
  /** What the header means, on hover. */
  description?: string;
}

const rank: ColumnDef = {
  id: 'rank',
  header: 'Rank',
  width: '52px',
  kind: 'rank',
  value: fusedRankOf,
  sortKey: 'rank',
  description: "Position in the window's fused ranking (LDA, concentration, autoencoder and heuristics together)",
};
const time: ColumnDef = { id: 'time', header: 'Time', width: '140px', kind: 'time', value: (t) => t.timestamp, sortKey: 'time' };
const reputation: ColumnDef = { id: 'reputation', header: 'Rep', width: '36px', kind: 'reputation', value: (t) => t.reputation?.level };
const fusedScore: ColumnDef = {
  id: 'fusedScore',
  header: 'Fused',
  width: '52px',
  kind: 'fusedScore',
  value: fusedScoreOf,
  sortKey: 'fused',
  description: '-log10 of the fused p-value: 3 is one event in a thousand, higher is rarer',
};
const ldaScore: ColumnDef = {
  id: 'score',
  header: 'P(word|IP)',
  width: '72px',
  kind: 'ldaScore',
  value: (t) => t.score,
  sortKey: 'lda',
  description: "Spot's LDA score: how likely the host's topics make this event's word (lower is more unusual)",
};
const autoencoderError: ColumnDef = {
  id: 'autoencoder',
  header: 'AE error',
  width: '72px',
  kind: 'autoencoder',
  value: autoencoderRatio,
  sortKey: 'autoencoder',
  description: "The flow autoencoder's reconstruction error as a multiple of its threshold (the tick marks 1x)",
};
const tags: ColumnDef = { id: 'tags', header: 'Tags', width: 'minmax(68px, 1fr)', kind: 'tags', value: (t) => t.heuristics.join(', ') };
const client = (header: string): ColumnDef => ({ id: 'src', header, width: 'minmax(120px, 1fr)', kind: 'endpoint', side: 'src', value: (t) => t.srcIp });

/**
 * The columns Spot's suspicious grid showed for each data type, plus reputation, the fused rank and score beside
 * Spot's own LDA score, the autoencoder's mark for flows (the only type it scores) and heuristic tags.
 */
export const COLUMNS: Record<DataType, ColumnDef[]> = {
  flow: [
    rank,
    time,
    client('Source IP'),
    { id: 'srcPort', header: 'Src port', width: '52px', kind: 'number', value: (t) => t.srcPort },
    { id: 'dst', header: 'Destination IP', width: 'minmax(120px, 1fr)', kind: 'endpoint', side: 'dst', value: (t) => t.dstIp },
    { id: 'dstPort', header: 'Dst port', width: '52px', kind: 'number', value: (t) => t.dstPort },
    { id: 'protocol', header: 'Proto', width: '48px', kind: 'text', value: (t) => t.protocol },
    { id: 'bytes', header: 'Bytes in/out', width: '84px', kind: 'text', value: (t) => `${formatCount(t.srcBytes)} / ${formatCount(t.dstBytes)}` },
    { id: 'packets', header: 'Pkts in/out', width: '76px', kind: 'text', value: (t) => `${formatCount(t.srcPackets)} / ${formatCount(t.dstPackets)}` },
    reputation,
    fusedScore,
    ldaScore,
    autoencoderError,
    tags,
  ],
  dns: [
    rank,
    time,
    client('Client IP'),
    { id: 'dnsQuery', header: 'Query', width: 'minmax(200px, 2fr)', kind: 'text', value: (t) => t.dnsQuery },
    { id: 'dnsQtype', header: 'Type', width: '60px', kind: 'text', value: (t) => t.dnsQtypeName ?? t.dnsQtype },
    { id: 'dnsRcode', header: 'Response', width: '90px', kind: 'text', value: (t) => t.dnsRcodeName ?? t.dnsRcode },
    reputation,
    fusedScore,
    ldaScore,
    tags,
  ],
  proxy: [
    rank,
    time,
    client('Client IP'),
    { id: 'domain', header: 'Host', width: 'minmax(140px, 1fr)', kind: 'text', value: (t) => t.domain },
    { id: 'url', header: 'URL', width: 'minmax(200px, 2fr)', kind: 'text', value: (t) => t.url },
    { id: 'httpMethod', header: 'Method', width: '64px', kind: 'text', value: (t) => t.httpMethod },
    { id: 'httpStatus', header: 'Status', width: '56px', kind: 'number', value: (t) => t.httpStatus },
    reputation,
    fusedScore,
    ldaScore,
    tags,
  ],
};

export function formatCount(value: number | undefined): string {
  if (value === undefined || value === null) {
    return '-';
  }
  if (value >= 1e9) {
    return `${(value / 1e9).toFixed(1)}G`;
  }
  if (value >= 1e6) {
    return `${(value / 1e6).toFixed(1)}M`;
  }
  if (value >= 1e4) {
    // Whole thousands from 100k on, so both directions of a flow fit in their cell.
    return `${(value / 1e3).toFixed(value >= 1e5 ? 0 : 1)}k`;
  }
  return String(value);
}

/** LDA scores are probabilities that can be tiny; show them so that ranks still read apart. */
export function formatScore(score: number): string {
  if (score === 0) {
    return '0';
  }
  return score < 0.001 ? score.toExponential(2) : score.toFixed(4);
}
