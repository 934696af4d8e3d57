import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Queue } from 'bullmq';
import type { Client } from '@opensearch-project/opensearch';
import { applyTemplates, removeTemplates } from '../../scorer-service/src/adapters/opensearch/templates';
import { prepareIndices, runIngest } from '../../scorer-service/src/ingest/pipeline';
import { QUEUES } from '../../scorer-service/src/queues/jobs';

/**
 * What the scorer's integration tests share: one real capture (a CTU nfcapd export of 4,593 flows in one day),
 * an environment with a prefix and queue prefix of their own and a small model so the tests stay quick, and
 * the clean-up of everything those prefixes created.
 */

export const REPO = path.resolve(__dirname, '..', '..');
export const NFDUMP_CSV = path.join(REPO, '..', 'shared', 'data', 'stratosphere-slips-netflow-pcap', 'test1-malicious.nfdump-o-csv.csv.gz');
export const FLOWS_IN_FILE = 4593;
export const DAY = { from: '2018-01-12T00:00:00.000Z', to: '2018-01-13T00:00:00.000Z' };

export interface TestScope {
  prefix: string;
  queuePrefix: string;
  env: NodeJS.ProcessEnv;
}

export function testScope(name: string, extra: NodeJS.ProcessEnv = {}): TestScope {
  const suffix = randomBytes(4).toString('hex');
  const prefix = `t-${name}-${suffix}-`;
  const queuePrefix = `t-${name}-${suffix}`;
  return {
    prefix,
    queuePrefix,
    env: {
      ...process.env,
      SPOTHREAT_INDEX_PREFIX: prefix,
      SPOTHREAT_QUEUE_PREFIX: queuePrefix,
      SPOTHREAT_MAXRESULTS: '50',
      SPOTHREAT_LDA_TOPICS: '10',
      SPOTHREAT_LDA_ITERATIONS: '30',
      SPOTHREAT_SCHEDULE_FLOW: '',
      SPOTHREAT_SCHEDULE_DNS: '',
      SPOTHREAT_SCHEDULE_PROXY: '',
      ...extra,
    },
  };
}

/** Templates for the scope's prefix and the capture's flows in its raw indices. */
export async function ingestCapture(client: Client, prefix: string): Promise<number> {
  await prepareIndices(client, prefix);
  await applyTemplates(client, prefix);
  const summary = await runIngest(client, { dataType: 'flow', format: 'nfdump-csv', files: [NFDUMP_CSV], indexPrefix: prefix });
  return summary.indexed;
}

/**
 * Plants a vertical port scan in the capture's day: `probes` single-packet TCP probes, 100 ms apart, from one
 * outside host to as many ports of one CTU host, which is the port-scan heuristic's pattern.
 */
export async function plantPortScan(client: Client, prefix: string, probes: number): Promise<void> {
  const index = `${prefix}raw-flow-2018.01.12`;
  const body = Array.from({ length: probes }, (_v, i) => [
    { index: { _index: index, _id: `scan-${i}` } },
    {
      '@timestamp': new Date(Date.parse('2018-01-12T15:40:00Z') + i * 100).toISOString(),
      event: { kind: 'event', category: ['network'], type: ['connection'], dataset: 'spothreat.flow' },
      spothreat: { format: 'test', file: 'planted-scan', record: i + 1 },
      source: { ip: '198.51.100.66', port: 40000 + i, bytes: 60, packets: 1 },
      destination: { ip: '147.32.84.165', port: 1000 + i * 7, bytes: 0, packets: 0 },
      network: { transport: 'tcp', iana_number: '6', bytes: 60, packets: 1 },
    },
  ]).flat();
  await client.bulk({ body, refresh: true });
}

export async function cleanUp(client: Client, scope: TestScope, redisPort: number): Promise<void> {
  for (const kind of QUEUES) {
    const queue = new Queue(kind, { connection: { host: '127.0.0.1', port: redisPort }, prefix: scope.queuePrefix });
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
  }
  await client.indices.delete({ index: `${scope.prefix}*`, expand_wildcards: 'all' }, { ignore: [404] });
  await removeTemplates(client, scope.prefix);
}
