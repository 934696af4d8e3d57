import type { Client } from '@opensearch-project/opensearch';
import { SeededRandom } from '../domain/lda';
import type { FlowEvent } from '../domain/events';
import type { Window } from '../adapters/opensearch/queries';

/** The benches' synthetic day: a network of clients with habits, servers, and a trickle of odd flows. */

export const DAY_START = Date.parse('2026-01-14T00:00:00.000Z');
export const DAY: Window = { from: new Date(DAY_START).toISOString(), to: new Date(DAY_START + 86_400_000).toISOString() };

/**
 * A day of flows, in time order, deterministic for the seed. The network grows with the day (one client per 400
 * flows, at least 300) unless `clients` fixes it: the same network with more traffic, for memory against events.
 */
export function* syntheticDay(events: number, seed = 7, clients = Math.max(300, Math.round(events / 400))): Generator<FlowEvent & { id: string }> {
  const random = new SeededRandom(seed);
  const servers = 400;
  const habits = [
    { port: 443, proto: 'tcp', bytes: 40_000, packets: 40 },
    { port: 80, proto: 'tcp', bytes: 15_000, packets: 20 },
    { port: 53, proto: 'udp', bytes: 120, packets: 2 },
    { port: 25, proto: 'tcp', bytes: 8_000, packets: 14 },
    { port: 445, proto: 'tcp', bytes: 200_000, packets: 180 },
    { port: 22, proto: 'tcp', bytes: 5_000, packets: 30 },
    { port: 123, proto: 'udp', bytes: 90, packets: 1 },
  ];
  for (let i = 0; i < events; i += 1) {
    const client = random.nextInt(clients);
    const odd = random.next() < 0.01;
    const habit = habits[odd ? random.nextInt(habits.length) : (client + (random.next() < 0.7 ? 0 : 2)) % habits.length];
    const scale = 0.3 + 1.4 * random.next();
    const server = (client * 7 + random.nextInt(5)) % servers;
    const at = DAY_START + Math.floor((i / events) * 86_400_000);
    const clientIp = `10.${(client >> 16) & 255}.${(client >> 8) & 255}.${client & 255}`;
    const serverIp = `172.16.${server >> 8}.${server & 255}`;
    const ephemeral = 32768 + random.nextInt(28000);
    const bytes = Math.round(habit.bytes * scale * (odd ? 50 : 1));
    const packets = Math.max(1, Math.round(habit.packets * scale));
    yield {
      id: `bench-${i}`,
      '@timestamp': new Date(at).toISOString(),
      event: { kind: 'event', category: ['network'], type: ['connection'], dataset: 'spothreat.flow' },
      spothreat: { format: 'bench', file: 'synthetic', record: i + 1 },
      source: { ip: clientIp, port: ephemeral, bytes: Math.round(bytes * 0.2), packets: Math.ceil(packets / 2) },
      destination: { ip: serverIp, port: habit.port, bytes: Math.round(bytes * 0.8), packets: Math.floor(packets / 2) },
      network: { transport: habit.proto, iana_number: habit.proto === 'tcp' ? '6' : '17', bytes, packets },
    };
  }
}

/** Indexes the synthetic day's first `events` flows into `index` (ids `bench-<n>`) and refreshes it. */
export async function indexSyntheticDay(client: Client, index: string, events: number, clients?: number): Promise<void> {
  const started = Date.now();
  process.stderr.write(`indexing ${events} synthetic flows${clients ? ` of ${clients} clients` : ''} into ${index} ...\n`);
  const idOf = new WeakMap<object, string>();
  const stats = await client.helpers.bulk({
    datasource: (async function* () {
      for (const { id, ...event } of syntheticDay(events, 7, clients)) {
        idOf.set(event, id);
        yield event;
      }
    })(),
    onDocument: (doc) => ({ index: { _index: index, _id: idOf.get(doc as object) } }),
    flushBytes: 5_000_000,
    concurrency: 2,
  });
  if (stats.failed > 0) throw new Error(`${stats.failed} synthetic events were not indexed`);
  await client.indices.refresh({ index });
  process.stderr.write(`indexed in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
}
