import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { composeScoring } from '../../composition';
import { DATA_TYPES, type DataType } from '../../domain/events';
import type { WindowOptions } from '../../scoring/windows';
import { info, printJson } from '../output';
import { addWindowOptions, dataTypeArgument, percentBar, windowArgument } from './score';
import { applyTemplatesAtStart } from './templatesAtStart';

export function registerTrain(program: Command): void {
  addWindowOptions(
    program
      .command('train')
      .description(
        "Train the data type's LDA model on one window of raw events (plus every benign-rated event x DUPFACTOR) and " +
          'register it as the next model version; `score --model latest` and the workers then use it.',
      )
      .argument('<type>', `data type: ${DATA_TYPES.join(', ')}`, dataTypeArgument),
  )
    .option('--json', 'print a machine-readable summary on stdout (and no progress bar)')
    .action(async (dataType: DataType, opts: WindowOptions & { json?: boolean }) => {
      const window = windowArgument(opts);
      const services = await composeScoring(loadConfig());
      const bar = percentBar(!opts.json);
      try {
        // The model registry is an index too.
        await applyTemplatesAtStart(services.config, services.client);
        const { lda: _model, ...summary } = await services.scorer.train({ dataType, window, trigger: 'cli', onProgress: bar.update });
        bar.stop();
        if (opts.json) printJson(summary);
        else {
          info(
            `${summary.model.id}: ${summary.events} events, ${summary.model.documents} IPs, ${summary.model.vocabulary} words, ` +
              `${summary.model.feedbackRows} benign feedback rows, ${summary.seconds.toFixed(1)} s`,
          );
        }
      } finally {
        bar.stop();
        await services.close();
      }
    });
}
