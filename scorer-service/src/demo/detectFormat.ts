import type { DataType } from '../domain/events';

/**
 * Recognises a telemetry file from its first bytes, for `spothreat demo --data DIR`, where a user drops a
 * folder of captures and logs and should not have to name each file's format. Pure: the caller reads the head.
 */

export interface DetectedFormat {
  dataType: DataType;
  format: string;
}

const PCAP_MAGICS = ['d4c3b2a1', 'a1b2c3d4', '4d3cb2a1', 'a1b23c4d', '0a0d0d0a'];
/** nfcapd files start with the 16-bit magic 0xA50C, stored little-endian. */
const NFCAPD_MAGIC = '0ca5';

/** Zeek's `#path` (or a JSON log's fields) names the log kind; the kind names the data type. */
const ZEEK_KINDS: Record<string, DataType> = { conn: 'flow', dns: 'dns', http: 'proxy' };

function firstTextLine(text: string): string {
  for (const line of text.split(/\r?\n/)) if (line.trim() !== '') return line;
  return '';
}

function fromZeekTsv(text: string): DetectedFormat | string {
  const path = /^#path\s+(\S+)/m.exec(text)?.[1];
  if (path === undefined) return 'a Zeek log without a #path header line';
  const dataType = ZEEK_KINDS[path];
  return dataType ? { dataType, format: 'zeek' } : `a Zeek ${path}.log, which Spothreat does not score (conn, dns and http logs are)`;
}

function fromJsonLine(line: string): DetectedFormat | string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return 'a line that looks like JSON but does not parse';
  }
  if ('id.orig_h' in record) {
    if ('query' in record) return { dataType: 'dns', format: 'zeek' };
    if ('method' in record || 'uri' in record) return { dataType: 'proxy', format: 'zeek' };
    if ('conn_state' in record || 'proto' in record) return { dataType: 'flow', format: 'zeek' };
    return 'a Zeek JSON log of a kind Spothreat does not score';
  }
  if ('@timestamp' in record) {
    if ('dns' in record) return { dataType: 'dns', format: 'ecs-json' };
    if ('url' in record || 'http' in record) return { dataType: 'proxy', format: 'ecs-json' };
    if ('source' in record && 'destination' in record) return { dataType: 'flow', format: 'ecs-json' };
  }
  return 'JSON lines that are neither Zeek nor ECS events';
}

/**
 * The format of a file from its head (decompressed when the file is gzip). Returns a reason string when the
 * file is not one Spothreat reads, so the caller can list it instead of skipping it quietly.
 */
export function detectFormat(head: Buffer): DetectedFormat | string {
  if (head.length === 0) return 'an empty file';
  const magic = head.subarray(0, 4).toString('hex');
  if (PCAP_MAGICS.includes(magic)) return { dataType: 'dns', format: 'pcap' };
  if (magic.startsWith(NFCAPD_MAGIC)) return { dataType: 'flow', format: 'nfcapd' };
  const text = head.toString('utf8');
  const line = firstTextLine(text);
  if (line.startsWith('#separator') || line.startsWith('#fields')) return fromZeekTsv(text);
  if (line.startsWith('{')) return fromJsonLine(line);
  if (/^(ts,te,td,sa,da,|tr,try,trm,trd,)/.test(line)) return { dataType: 'flow', format: 'nfdump-csv' };
  if (/^StartTime[,\t]Dur[,\t]Proto/.test(line)) return { dataType: 'flow', format: 'argus' };
  if (/(^|,)\s*(Flow ID|Dst Port|Flow Duration),/.test(line)) return { dataType: 'flow', format: 'cicflowmeter' };
  if (/^#Software:\s*SGOS|^#Fields:\s*date time/.test(line)) return { dataType: 'proxy', format: 'bluecoat' };
  if (/^\d{9,10}\.\d{3}\s+\d+\s+\S+\s+[A-Z_]+\/\d{3}\s/.test(line)) return { dataType: 'proxy', format: 'squid' };
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} /.test(line)) return { dataType: 'proxy', format: 'bluecoat' };
  return 'no format Spothreat reads (nfcapd, pcap, nfdump csv, Zeek conn/dns/http, CICFlowMeter, Argus, Squid, Bluecoat, ECS JSON)';
}
