import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { composeQueues, composeScoring } from '../../composition';
import { DATA_TYPES, type DataType } from '../../domain/events';
import { reenrichWindow } from '../../scoring/reenrich';
import type { WindowOptions } from '../../scoring/windows';
import { info, printJson, UserError } from '../output';
import { addWindowOptions, dataTypeArgument, percentBar, windowArgument } from './score';

/**
 * `spothreat enrich`: re-enrich the suspicious events of the scored windows overlapping a range with today's
 * enrichment (a changed blocklist, network-context file, geo or ASN table), here or as a job for the workers.
 */
export function registerEnrich(program: Command): void {
  addWindowOptions(
    program
      .command('enrich')
      .description(
        'Re-enrich the suspicious events of every scored window overlapping the given day, hour or range with the ' +
          'current enrichment (internal ranges, network context, blocklist, geo and ASN), without re-scoring: scores ' +
          'and ranks stay. Runs here, or with --queue as a job on the enrich queue for `spothreat worker`.',
      )
      .argument('<type>', `data type: ${DATA_TYPES.join(', ')}`, dataTypeArgument),
  )
    .option('--queue', 'enqueue an enrich job for the workers instead of running here; prints the job id')
    .option('--json', 'print a machine-readable summary on stdout')
    .addHelpText('after', '\nExamples:\n  spothreat enrich flow --day 2026-11-21\n  spothreat enrich dns --from 2026-11-21T00:00:00Z --to 2026-11-21T06:00:00Z --queue')
    .action(async (dataType: DataType, opts: WindowOptions & { queue?: boolean; json?: boolean }) => {
      const window = windowArgument(opts);
      const config = loadConfig();
      if (opts.queue) {
        const queues = composeQueues(config);
        try {
          const created = await queues.enqueueEnrich({ dataType, window }).catch((error: Error) => {
            throw new UserError(`cannot reach Redis at ${config.redis.url} to enqueue the job (${error.message}); start it with \`spothreat stack up\` or set SPOTHREAT_REDIS_URL`);
          });
          if (opts.json) printJson(created);
          else info(`enrich job ${created.id} queued for ${dataType} ${window.from} .. ${window.to}; a running \`spothreat worker\` picks it up`);
        } finally {
          await queues.close();
        }
        return;
      }
      const services = await composeScoring(config);
      const bar = percentBar(!opts.json);
      try {
        const result = await reenrichWindow(services, dataType, window, { onProgress: (percent) => bar.update(percent, 'enrich') });
        bar.stop();
        if (opts.json) printJson({ dataType, window, ...result });
        else if (result.reenriched === 0) info(`no scored ${dataType} window overlaps ${window.from} .. ${window.to}: nothing to re-enrich (run \`spothreat score ${dataType}\` first)`);
        else info(`${dataType} ${window.from} .. ${window.to}: ${result.reenriched} suspicious events re-enriched`);
      } finally {
        bar.stop();
        await services.close();
      }
    });
}
