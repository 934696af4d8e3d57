import { parseInstant, windowBefore, windowFromOptions } from './windows';

describe('windowFromOptions', () => {
  it('turns a day, an hour or a range into a half-open UTC window', () => {
    expect(windowFromOptions({ day: '2026-11-21' })).toEqual({ from: '2026-11-21T00:00:00.000Z', to: '2026-11-22T00:00:00.000Z' });
    expect(windowFromOptions({ hour: '2026-11-21T13' })).toEqual({ from: '2026-11-21T13:00:00.000Z', to: '2026-11-21T14:00:00.000Z' });
    expect(windowFromOptions({ from: '1763683200000', to: '2025-11-21T01:00:00Z' })).toEqual({
      from: '2025-11-21T00:00:00.000Z',
      to: '2025-11-21T01:00:00.000Z',
    });
  });

  it('refuses ambiguous, malformed and backwards windows with the option named', () => {
    expect(() => windowFromOptions({})).toThrow(/exactly one/);
    expect(() => windowFromOptions({ day: '2026-11-21', hour: '2026-11-21T01' })).toThrow(/exactly one/);
    expect(() => windowFromOptions({ day: '21/11/2026' })).toThrow(/--day/);
    expect(() => windowFromOptions({ from: '2026-11-22', to: '2026-11-21' })).toThrow(/must be before/);
    expect(() => parseInstant('yesterday', '--from')).toThrow(/--from "yesterday"/);
  });
});

describe('windowBefore', () => {
  it('gives the last complete hour or day before a schedule tick', () => {
    const tick = new Date('2026-11-21T13:05:00Z');
    expect(windowBefore(tick, 'hour')).toEqual({ from: '2026-11-21T12:00:00.000Z', to: '2026-11-21T13:00:00.000Z' });
    expect(windowBefore(tick, 'day')).toEqual({ from: '2026-11-20T00:00:00.000Z', to: '2026-11-21T00:00:00.000Z' });
  });
});
