import type { Dice } from '../random';
import { refusedConnection } from '../records';
import { AttackProcess, type AttackRecords } from './common';

export interface LateralTarget {
  ip: string;
  /** Windows hosts answer SMB, RPC, WinRM and RDP; the others refuse. */
  windows: boolean;
}

export interface LateralMovementParams {
  source: string;
  /** The domain controller that hands out the Kerberos service tickets the stolen credentials are used through. */
  domainController: string;
  targets: readonly LateralTarget[];
  start: number;
  /** Mean time between moving on to the next target. */
  targetGapMicros: number;
  firstSourcePort: number;
}

/**
 * An intruder spreading from one host with stolen credentials: for each target a Kerberos service ticket from the
 * domain controller (the credential event), an SMB session that copies a service binary (PsExec style), the RPC
 * call that starts it, then remote control over WinRM or RDP. Hosts that are not Windows refuse the SMB
 * connection and are left alone.
 */
export function* lateralMovement(p: LateralMovementParams, dice: Dice): AttackRecords {
  const intruder = new AttackProcess(p.source, '', p.firstSourcePort, dice, 'lateral-movement');
  let time = p.start;
  for (const target of p.targets) {
    if (!target.windows) {
      yield* refusedConnection(time, p.source, intruder.port(), target.ip, 445, true, intruder.attack);
      time += Math.round(dice.exponential(p.targetGapMicros));
      continue;
    }
    yield* intruder.connect(time, p.domainController, 88, dice.between(3000, 20000), dice.between(1500, 1900), dice.between(1400, 1800));
    time += dice.between(20_000, 80_000);
    yield* intruder.connect(time, target.ip, 445, dice.between(800_000, 3_000_000), dice.between(180_000, 420_000), dice.between(6000, 15000));
    yield* intruder.connect(time + 3_200_000, target.ip, 135, dice.between(20000, 90000), dice.between(900, 1400), dice.between(700, 1100));
    yield* intruder.connect(time + 3_400_000, target.ip, dice.between(49664, 49700), dice.between(200_000, 900_000), dice.between(2000, 5000), dice.between(1500, 4000));
    const winrm = dice.chance(0.6);
    const minutes = dice.uniform(0.5, 6);
    const [sentPerMinute, receivedPerMinute] = winrm ? [20000, 40000] : [60000, 700000];
    yield* intruder.connect(time + 6_000_000, target.ip, winrm ? 5985 : 3389, Math.round(minutes * 60_000_000), Math.round(minutes * sentPerMinute), Math.round(minutes * receivedPerMinute));
    time += Math.round(dice.exponential(p.targetGapMicros));
  }
}
