import type { Dice } from '../random';
import type { WebRequest } from '../records';
import { AttackProcess, type AttackRecords } from './common';

export interface BeaconingParams {
  victim: string;
  resolver: string;
  c2Ip: string;
  c2Domain: string;
  start: number;
  end: number;
  /** The implant's sleep time. */
  intervalMicros: number;
  /** Random variation of each sleep, as a fraction of it (Cobalt Strike's "jitter"). */
  jitter: number;
  userAgent: string;
  /** TTL of the C2 name's A record: the implant looks it up again when it expires. */
  ttlSeconds: number;
  firstSourcePort: number;
}

/**
 * A command-and-control implant checking in over HTTPS at a regular interval with small jitter: each check-in is
 * one short connection with one small GET; now and then the operator has a task and the next check-in POSTs
 * results. The name is looked up again whenever its TTL has run out.
 */
export function* beaconing(p: BeaconingParams, dice: Dice): AttackRecords {
  const implant = new AttackProcess(p.victim, p.resolver, p.firstSourcePort, dice, 'beaconing-c2');
  let resolvedUntil = -1;
  let time = p.start;
  while (time < p.end) {
    if (time >= resolvedUntil) {
      yield* implant.lookup(time, p.c2Domain, 1, { rcode: 0, answers: [p.c2Ip], ttls: [p.ttlSeconds] }, dice.between(9000, 60000));
      resolvedUntil = time + p.ttlSeconds * 1_000_000;
      time += 70000;
    }
    const tasked = dice.chance(0.05);
    const request: WebRequest = {
      method: tasked ? 'POST' : 'GET',
      host: p.c2Domain,
      uri: tasked ? `/submit.php?id=${dice.between(100000000, 999999999)}` : '/jquery-3.3.1.min.js',
      referrer: 'http://code.jquery.com/',
      userAgent: p.userAgent,
      requestBytes: tasked ? dice.between(2000, 60000) : 0,
      responseBytes: tasked ? 0 : 5543 + dice.nextInt(64),
      status: 200,
      mime: tasked ? '' : 'application/javascript',
    };
    yield* implant.request(time, p.c2Ip, request, dice.between(250_000, 900_000), dice.between(60, 400));
    time += Math.round(p.intervalMicros * (1 + p.jitter * (2 * dice.next() - 1)));
  }
}
