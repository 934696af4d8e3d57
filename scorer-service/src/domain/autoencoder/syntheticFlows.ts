import type { FlowEvent } from '../events';
import { SeededRandom } from '../lda/random';

/**
 * Seeded synthetic flows for tests and benchmarks: an office's ordinary traffic (HTTPS, DNS, SMTP with the
 * sizes and flags such sessions have) and, on request, the kinds of outlier the autoencoder exists to find.
 */

export type OutlierKind = 'exfiltration' | 'syn-scan' | 'udp-flood';

function logNormal(random: SeededRandom, median: number, spread: number): number {
  // Box-Muller; 1 - next() keeps the logarithm finite.
  const u = 1 - random.next();
  const v = random.next();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return median * Math.exp(spread * normal);
}

function flow(parts: {
  transport: 'tcp' | 'udp';
  sport: number;
  dport: number;
  durationS: number;
  sp: number;
  sb: number;
  dp: number;
  db: number;
  flags?: number;
  label: string;
}): FlowEvent {
  const doc: FlowEvent = {
    '@timestamp': '2024-03-04T10:00:00.000Z',
    event: { kind: 'event', category: ['network'], type: ['connection'], dataset: 'spothreat.flow', duration: Math.round(parts.durationS * 1e9) },
    source: { ip: '10.0.0.10', port: parts.sport, packets: parts.sp, bytes: parts.sb },
    destination: { ip: '192.0.2.1', port: parts.dport, packets: parts.dp, bytes: parts.db },
    network: { transport: parts.transport, iana_number: parts.transport === 'tcp' ? '6' : '17' },
    spothreat: { format: 'synthetic', file: 'synthetic', record: 0, label: parts.label },
  };
  if (parts.flags !== undefined) doc.netflow = { tcp_control_bits: parts.flags };
  return doc;
}

const SYN_ACK_FIN_PSH = 2 | 16 | 1 | 8;

/** `count` ordinary flows: 70 % HTTPS sessions, 20 % DNS lookups, 10 % SMTP deliveries. */
export function benignFlows(count: number, seed: number): FlowEvent[] {
  const random = new SeededRandom(seed);
  const flows: FlowEvent[] = [];
  for (let i = 0; i < count; i++) {
    const sport = 32768 + random.nextInt(28000);
    const kind = random.next();
    if (kind < 0.7) {
      const sp = Math.max(4, Math.round(logNormal(random, 14, 0.4)));
      const dp = Math.max(4, Math.round(sp * (1.1 + 0.2 * random.next())));
      flows.push(
        flow({ transport: 'tcp', sport, dport: 443, durationS: logNormal(random, 2, 0.6), sp, sb: sp * Math.round(logNormal(random, 90, 0.2)), dp, db: dp * Math.round(logNormal(random, 900, 0.2)), flags: SYN_ACK_FIN_PSH, label: 'benign' }),
      );
    } else if (kind < 0.9) {
      flows.push(flow({ transport: 'udp', sport, dport: 53, durationS: logNormal(random, 0.02, 0.5), sp: 1, sb: 60 + random.nextInt(30), dp: 1, db: 90 + random.nextInt(120), label: 'benign' }));
    } else {
      const sp = Math.max(6, Math.round(logNormal(random, 20, 0.5)));
      flows.push(
        flow({ transport: 'tcp', sport, dport: 25, durationS: logNormal(random, 1, 0.5), sp, sb: sp * Math.round(logNormal(random, 400, 0.3)), dp: sp, db: sp * 70, flags: SYN_ACK_FIN_PSH, label: 'benign' }),
      );
    }
  }
  return flows;
}

/** `count` flows of one attack kind, each unlike anything `benignFlows` makes. */
export function outlierFlows(kind: OutlierKind, count: number, seed: number): FlowEvent[] {
  const random = new SeededRandom(seed);
  const flows: FlowEvent[] = [];
  for (let i = 0; i < count; i++) {
    const sport = 32768 + random.nextInt(28000);
    if (kind === 'exfiltration') {
      // Hours-long upload of gigabytes to an unusual port.
      const sp = 2_000_000 + random.nextInt(500_000);
      flows.push(flow({ transport: 'tcp', sport, dport: 8443, durationS: 5000 + random.nextInt(3000), sp, sb: sp * 1400, dp: sp / 2, db: (sp / 2) * 60, flags: SYN_ACK_FIN_PSH, label: kind }));
    } else if (kind === 'syn-scan') {
      // One SYN, one RST back, to a port that is not a service here.
      flows.push(flow({ transport: 'tcp', sport, dport: 1 + random.nextInt(1024), durationS: 0.0001, sp: 1, sb: 44, dp: 1, db: 40, flags: 2 | 4, label: kind }));
    } else {
      flows.push(flow({ transport: 'udp', sport, dport: 40000 + random.nextInt(20000), durationS: 30, sp: 100_000, sb: 100_000 * 1400, dp: 0, db: 0, label: kind }));
    }
  }
  return flows;
}
