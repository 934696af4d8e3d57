import type { Dice } from '../random';
import { AttackProcess, type AttackRecords } from './common';

export interface DnsTunnelParams {
  victim: string;
  resolver: string;
  /** The attacker's delegated zone (`t.example-cdn.net`): every query goes under it. */
  domain: string;
  start: number;
  queries: number;
  /** Queries per burst (one transfer) and the gap between queries inside a burst. */
  burstSize: number;
  queryGapMicros: number;
  /** Mean pause between bursts. */
  burstGapMicros: number;
  /** Record types the tunnel uses (TXT = 16, NULL = 10, as iodine and dnscat do). */
  qtypes: readonly number[];
  firstSourcePort: number;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Data carried in DNS: each query's name holds encoded payload in long labels (up to 63 characters) under the
 * attacker's zone, a sequence number keeps the chunks in order, and TXT answers carry the way back. NULL
 * answers are binary, which Zeek does not render, so their answers column stays empty.
 */
export function* dnsTunnel(p: DnsTunnelParams, dice: Dice): AttackRecords {
  const tunnel = new AttackProcess(p.victim, p.resolver, p.firstSourcePort, dice, 'dns-tunnelling');
  const session = dice.text('0123456789abcdef', 4);
  let time = p.start;
  for (let i = 0; i < p.queries; i++) {
    const payload = dice.between(90, 180);
    const labels: string[] = [];
    for (let left = payload; left > 0; left -= 63) labels.push(dice.text(BASE32, Math.min(63, left)));
    const query = `${labels.join('.')}.${session}${(i & 0xffff).toString(16).padStart(4, '0')}.${p.domain}`;
    const qtype = p.qtypes[dice.nextInt(p.qtypes.length)];
    const reply = qtype === 16 ? dice.text(BASE64, dice.between(40, 220)) : '';
    const answer = reply.length > 0 ? { rcode: 0, answers: [`TXT ${reply.length} ${reply}`], ttls: [0] } : { rcode: 0, answers: [], ttls: [] };
    yield* tunnel.lookup(time, query, qtype, answer, dice.between(20000, 140000));
    const endOfBurst = (i + 1) % p.burstSize === 0;
    time += endOfBurst ? Math.round(dice.exponential(p.burstGapMicros)) : Math.round(p.queryGapMicros * dice.uniform(0.5, 1.5));
  }
}
