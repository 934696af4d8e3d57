import type { Host } from './network';

/**
 * How busy a host is at a time of day: people work office hours with a lunch dip, machines left on overnight
 * keep a trickle of background traffic, servers run around the clock with a daytime bump that follows their
 * users, and the public web site follows the waking hours of a world-wide audience.
 */

const IDLE_LEVEL = 0.04;
const WEEKEND_LEVEL = 0.08;

/** Smooth 0..1 step over `width` hours centred on `at`. */
function ramp(hour: number, at: number, width: number): number {
  const x = (hour - at) / width;
  if (x <= -0.5) return 0;
  if (x >= 0.5) return 1;
  return 0.5 - 0.5 * Math.cos(Math.PI * (x + 0.5));
}

/** The office curve every user shares: 0 at night, 1 in the working day, a dip at lunch. */
export function officeLevel(hour: number, dayStart = 8.5, dayEnd = 17.5): number {
  const inOffice = ramp(hour, dayStart, 1) * (1 - ramp(hour, dayEnd, 1.2));
  const lunch = 1 - 0.45 * Math.exp(-((hour - 12.6) ** 2) / 0.18);
  return inOffice * lunch;
}

/**
 * Relative activity of a host at `hour` (0..24, fractional) on a working day or a weekend day.
 * Multiplied by the host's own activity level to weigh which host starts the next session.
 */
export function activityAt(host: Host, hour: number, weekend: boolean): number {
  switch (host.role) {
    case 'workstation':
    case 'vpn-client': {
      const working = officeLevel(hour, host.dayStart, host.dayEnd) * (weekend ? WEEKEND_LEVEL : 1);
      const idle = host.onOvernight ? IDLE_LEVEL : 0;
      return host.activity * Math.max(working, idle);
    }
    case 'server':
      return host.activity * (0.55 + 0.45 * officeLevel(hour) * (weekend ? 0.2 : 1));
    case 'dmz':
      // Visitors from many time zones: a broad swell peaking in the European/American afternoon.
      return host.activity * (0.6 + 0.4 * Math.sin((Math.PI * (hour - 8)) / 12) ** 2);
  }
}

/** True in the user's working hours (sessions pick the working mix of activities, not the idle one). */
export function isWorkingHour(host: Host, hour: number): boolean {
  if (host.role !== 'workstation' && host.role !== 'vpn-client') return true;
  return hour >= host.dayStart && hour < host.dayEnd;
}
