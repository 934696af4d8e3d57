import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DnsHeuristics, FlowHeuristics } from './index';

// Real Zeek logs from Stratosphere's security-datasets-for-testing (see shared/data/stratosphere-zeek-labeled/SOURCE.md).
const scenarios = path.resolve(__dirname, '../../../../../shared/data/stratosphere-zeek-labeled/security-datasets-for-testing');

function gunzipLines(file: string): string[] {
  return gunzipSync(readFileSync(path.join(scenarios, file))).toString('utf8').split('\n').filter((line) => line.length > 0);
}

/** Rows of a Zeek TSV log as objects keyed by its #fields header. */
function zeekRows(file: string): Record<string, string>[] {
  const lines = gunzipLines(file);
  const fields = lines.find((line) => line.startsWith('#fields'))!.split('\t').slice(1);
  return lines.filter((line) => !line.startsWith('#')).map((line) => Object.fromEntries(line.split('\t').map((value, i) => [fields[i], value])));
}

describe('heuristics on real captures', () => {
  it('flags the nmap host of scenario 002 as a port scanner and nothing else', () => {
    const heuristics = new FlowHeuristics();
    for (const line of gunzipLines('002-zeek-scenario-port-scanning/conn.log.gz')) {
      const conn = JSON.parse(line);
      heuristics.add({
        srcIp: conn['id.orig_h'],
        dstIp: conn['id.resp_h'],
        sport: conn['id.orig_p'],
        dport: conn['id.resp_p'],
        proto: String(conn.proto).toUpperCase(),
        timestamp: conn.ts * 1000,
        bytes: (conn.orig_ip_bytes ?? 0) + (conn.resp_ip_bytes ?? 0),
        packets: (conn.orig_pkts ?? 0) + (conn.resp_pkts ?? 0),
      });
    }
    const hits = heuristics.hits().filter((hit) => hit.heuristic === 'port-scan');
    expect(hits.map((hit) => hit.subject)).toEqual(['172.16.1.11']);
    // 2,872 host:port pairs probed; one of the 105 ports it tried also carried data, so 104 ports count.
    expect(hits[0].evidence).toMatchObject({ flows: 4504, probedPairs: 2872, distinctPorts: 104, distinctHosts: 182 });
    // The scan reaches admin ports of many hosts but opens no session there: not lateral movement.
    expect(heuristics.lateralMovement.hits()).toEqual([]);
  });

  it('flags the Simda-infected host of scenario 005 for its NXDOMAIN burst of generated names', () => {
    const heuristics = new DnsHeuristics();
    for (const row of zeekRows('005-zeek-scenario-malicious/dns.log.gz')) {
      if (row.query === '-') continue;
      heuristics.add({ clientIp: row['id.orig_h'], queryName: row.query, timestamp: Number(row.ts) * 1000, responseCode: row.rcode_name });
    }
    const dga = heuristics.hits().filter((hit) => hit.heuristic === 'dga');
    expect(dga.map((hit) => hit.subject)).toEqual(['fd77:48a1:c0bb:0:b96c:506d:6c7f:e8be']);
    // 129 NXDOMAIN answers in the log, 113 of them to this host over IPv6; the rest went to its IPv4 address.
    expect(dga[0].evidence.nxResponses).toBe(113);
    expect(dga[0].evidence.distinctDomains).toBeGreaterThanOrEqual(100);
  });
});
