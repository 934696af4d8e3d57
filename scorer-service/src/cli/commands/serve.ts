import type { Command } from 'commander';

export function registerServe(program: Command): void {
  program.command('serve').description('Serve the HTTP API the Grafana app calls (not yet available).');
}
