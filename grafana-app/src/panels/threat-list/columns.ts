import type { DataType, Threat } from '../../api/types';

export type ColumnKind = 'rank' | 'time' | 'endpoint' | 'text' | 'number' | 'score' | 'tags' | 'reputation';

export interface ColumnDef {
  id: string;
  header: string;
  /** CSS grid track size. */
  width: string;
  kind: ColumnKind;
  value: (threat: Threat) => string | number | undefined;
  side?: 'src' | 'dst';
}

const rank: ColumnDef = { id: 'rank', header: 'Rank', width: '52px', kind: 'rank', value: (t) => t.rank };
const time: ColumnDef = { id: 'time', header: 'Time', width: '140px', kind: 'time', value: (t) => t.timestamp };
const reputation: ColumnDef = { id: 'reputation', header: 'Rep', width: '36px', kind: 'reputation', value: (t) => t.reputation?.level };
const score: ColumnDef = { id: 'score', header: 'Score', width: '80px', kind: 'score', value: (t) => t.score };
const tags: ColumnDef = { id: 'tags', header: 'Tags', width: 'minmax(110px, 1fr)', kind: 'tags', value: (t) => t.heuristics.join(', ') };
const client = (header: string): ColumnDef => ({ id: 'src', header, width: 'minmax(150px, 1fr)', kind: 'endpoint', side: 'src', value: (t) => t.srcIp });

/** The columns Spot's suspicious grid showed for each data type, plus reputation, score, fused rank and heuristic tags. */
export const COLUMNS: Record<DataType, ColumnDef[]> = {
  flow: [
    rank,
    time,
    client('Source IP'),
    { id: 'srcPort', header: 'Src port', width: '64px', kind: 'number', value: (t) => t.srcPort },
    { id: 'dst', header: 'Destination IP', width: 'minmax(150px, 1fr)', kind: 'endpoint', side: 'dst', value: (t) => t.dstIp },
    { id: 'dstPort', header: 'Dst port', width: '64px', kind: 'number', value: (t) => t.dstPort },
    { id: 'protocol', header: 'Proto', width: '48px', kind: 'text', value: (t) => t.protocol },
    { id: 'bytes', header: 'Bytes in/out', width: '100px', kind: 'text', value: (t) => `${formatCount(t.srcBytes)} / ${formatCount(t.dstBytes)}` },
    { id: 'packets', header: 'Pkts in/out', width: '90px', kind: 'text', value: (t) => `${formatCount(t.srcPackets)} / ${formatCount(t.dstPackets)}` },
    reputation,
    score,
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
    score,
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
    score,
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
    return `${(value / 1e3).toFixed(1)}k`;
  }
  return String(value);
}

/** Scores are probabilities that can be tiny; show them so that ranks still read apart. */
export function formatScore(score: number): string {
  if (score === 0) {
    return '0';
  }
  return score < 0.001 ? score.toExponential(2) : score.toFixed(4);
}
