import type { Command } from 'commander';

export function registerWorker(program: Command): void {
  program.command('worker').description('Run BullMQ workers for scoring, training and retraining jobs (not yet available).');
}
