import type { Dice } from '../random';
import { AttackProcess, type AttackRecords } from './common';

export interface DgaParams {
  victim: string;
  resolver: string;
  start: number;
  bursts: number;
  namesPerBurst: number;
  /** Mean pause between bursts (the malware retries on a timer). */
  burstGapMicros: number;
  tlds: readonly string[];
  /** Where the one registered name of a burst points: the botnet's current server. */
  c2Ip: string;
  firstSourcePort: number;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Malware with a domain-generation algorithm: bursts of lookups of random-looking names, nearly all NXDOMAIN; the
 * last name of a burst is the one the operator registered, it resolves, and the malware connects to it.
 */
export function* dga(p: DgaParams, dice: Dice): AttackRecords {
  const malware = new AttackProcess(p.victim, p.resolver, p.firstSourcePort, dice, 'dga');
  let time = p.start;
  for (let b = 0; b < p.bursts; b++) {
    for (let n = 0; n < p.namesPerBurst; n++) {
      const registered = n === p.namesPerBurst - 1;
      const query = `${dice.text(LETTERS, dice.between(10, 20))}.${p.tlds[dice.nextInt(p.tlds.length)]}`;
      const rtt = dice.between(15000, 120000);
      const answer = registered ? { rcode: 0, answers: [p.c2Ip], ttls: [300] } : { rcode: 3, answers: [], ttls: [] };
      yield* malware.lookup(time, query, 1, answer, rtt);
      if (registered) yield* malware.connect(time + rtt + 2000, p.c2Ip, 443, dice.between(300_000, 2_000_000), dice.between(600, 2000), dice.between(800, 6000));
      time += rtt + dice.between(5000, 60000);
    }
    time += Math.round(dice.exponential(p.burstGapMicros));
  }
}
