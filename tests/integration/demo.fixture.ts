import type { WrittenDemoDay } from '../../scorer-service/src/demo/generator/files';

/** What the integration tests of a generated demo day share: its window and the actors of its attacks. */

/** The whole UTC day the demo day was generated for. */
export function demoDayWindow(demo: WrittenDemoDay): { from: string; to: string } {
  const from = `${demo.day}T00:00:00.000Z`;
  return { from, to: new Date(Date.parse(from) + 86_400_000).toISOString() };
}

/** The address or name playing `role` in the day's `attack` (scanner, victim, zone, ...). */
export function demoActor(demo: WrittenDemoDay, attack: string, role: string): string {
  const found = demo.attacks.find((a) => a.name === attack);
  if (!found) throw new Error(`the demo day has no ${attack} attack`);
  return String(found.actors[role]);
}
