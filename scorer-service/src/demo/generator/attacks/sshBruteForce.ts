import type { Dice } from '../random';
import { AttackProcess, type AttackRecords } from './common';

export interface SshBruteForceParams {
  attacker: string;
  target: string;
  attempts: number;
  start: number;
  /** Mean time between login attempts (each attempt is a new connection, as hydra and most bots do). */
  attemptGapMicros: number;
  firstSourcePort: number;
}

/**
 * Password guessing against an SSH server: many short connections of near-identical size (key exchange, a few
 * failed passwords, disconnect), one after another from one address.
 */
export function* sshBruteForce(p: SshBruteForceParams, dice: Dice): AttackRecords {
  const bot = new AttackProcess(p.attacker, '', p.firstSourcePort, dice, 'ssh-brute-force');
  let time = p.start;
  for (let i = 0; i < p.attempts; i++) {
    yield* bot.connect(time, p.target, 22, dice.between(1_200_000, 4_500_000), dice.between(1500, 2300), dice.between(2600, 3400));
    time += Math.max(1000, Math.round(dice.exponential(p.attemptGapMicros)));
  }
}
