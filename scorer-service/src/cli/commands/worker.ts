import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { composeWorker } from '../../composition';
import { QUEUES, type QueueKind } from '../../queues/jobs';
import { info, UserError } from '../output';
import { applyTemplatesAtStart } from './templatesAtStart';

function queueList(value: string): QueueKind[] {
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.filter((name) => !(QUEUES as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) throw new UserError(`--queues takes a comma-separated subset of ${QUEUES.join(', ')}; got "${value}"`);
  return names as QueueKind[];
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description(
      'Run BullMQ workers for the score, train, retrain and enrich queues (any number of these processes, on any ' +
        'host, can share them), and keep the recurring scoring schedules in place. Stops on SIGINT/SIGTERM after ' +
        'the running jobs finish; a second signal leaves them to another worker.',
    )
    .option('--queues <list>', `queues to take jobs from (default: all of ${QUEUES.join(', ')})`, queueList)
    .option('--no-schedules', 'do not create or update the recurring scoring schedules')
    .action(async (opts: { queues?: QueueKind[]; schedules: boolean }) => {
      const config = loadConfig();
      // The jobs write suspicious events and models: indices made under older templates must take the new fields first.
      await applyTemplatesAtStart(config);
      const worker = await composeWorker(config, {
        queues: opts.queues,
        schedules: opts.schedules,
        events: {
          onCompleted: (queue, job, seconds) => info(`${queue} job ${job.id} done in ${seconds.toFixed(1)} s`),
          onFailed: (queue, job, error) => info(`${queue} job ${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}): ${error.message}`),
          onError: (queue, error) => info(`${queue} worker: ${error.message}`),
        },
      });
      await worker.workers.waitUntilReady();
      info(
        `worker ready on ${(opts.queues ?? QUEUES).join(', ')} (concurrency ${config.queues.concurrency}); ` +
          `schedules: ${worker.schedules.active.length > 0 ? worker.schedules.active.map((t) => `${t} "${config.schedules[t]}"`).join(', ') : 'none'}`,
      );
      await new Promise<void>((resolve) => {
        let stopping = false;
        const stop = (signal: NodeJS.Signals) => {
          if (stopping) {
            // The running jobs keep their locks until those expire; then another worker takes them over.
            info(`${signal}: leaving the running jobs to another worker`);
            process.exit(130);
          }
          stopping = true;
          info(`${signal}: finishing the running jobs (send again to leave them to another worker)`);
          void worker.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      info('worker stopped');
    });
}
