import type { Dice } from '../random';
import { AttackProcess, type AttackRecords } from './common';

export interface SlowExfiltrationParams {
  victim: string;
  resolver: string;
  destinationIp: string;
  destinationHost: string;
  start: number;
  end: number;
  /** Time between uploads, and its random variation as a fraction. */
  intervalMicros: number;
  jitter: number;
  /** Median and spread (sigma of the logarithm) of one upload's size in bytes. */
  medianBytes: number;
  sigma: number;
  firstSourcePort: number;
}

/**
 * Data theft kept under the radar: a host uploads archives in steady chunks to a storage server outside, at
 * night when nobody watches, with a sync tool's user agent. Each upload is a PUT through the web gateway over a
 * connection whose outbound bytes dwarf the inbound ones.
 */
export function* slowExfiltration(p: SlowExfiltrationParams, dice: Dice): AttackRecords {
  const uploader = new AttackProcess(p.victim, p.resolver, p.firstSourcePort, dice, 'slow-exfiltration');
  let time = p.start;
  let part = 0;
  while (time < p.end) {
    if (part % 10 === 0) {
      yield* uploader.lookup(time, p.destinationHost, 1, { rcode: 0, answers: [p.destinationIp], ttls: [600] }, dice.between(9000, 50000));
      time += 60000;
    }
    const bytes = Math.round(dice.logNormal(p.medianBytes, p.sigma));
    const seconds = bytes / dice.uniform(400_000, 1_500_000);
    const request = {
      method: 'PUT',
      host: p.destinationHost,
      uri: `/upload/b7e1/archive.7z.${String(part + 1).padStart(3, '0')}`,
      referrer: '',
      userAgent: 'rclone/v1.66.0',
      requestBytes: bytes,
      responseBytes: dice.between(90, 200),
      status: 201,
      mime: 'application/json',
    };
    yield* uploader.request(time, p.destinationIp, request, Math.round(seconds * 1_000_000) + 200_000, Math.round(seconds * 1000));
    part++;
    time += Math.round(p.intervalMicros * (1 + p.jitter * (2 * dice.next() - 1)));
  }
}
