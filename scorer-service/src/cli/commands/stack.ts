import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { stackDown, stackStatus, stackUp } from '../../stack/stack';
import { info, printJson } from '../output';

export function registerStack(program: Command): void {
  const stack = program
    .command('stack')
    .description('run the local OpenSearch node and Redis that Spothreat uses by default (127.0.0.1 only)');

  stack
    .command('up')
    .description('install what is missing, start OpenSearch and Redis in the background, wait until healthy')
    .option('--json', 'print a machine-readable summary on stdout')
    .action(async (opts: { json?: boolean }) => {
      const config = loadConfig();
      const result = await stackUp(config, info);
      if (opts.json) printJson(result);
      else {
        info(`opensearch: ${result.opensearch} — ${config.opensearch.url}`);
        info(`redis:      ${result.redis} — ${config.redis.url}`);
      }
    });

  stack
    .command('down')
    .description('stop the OpenSearch node and Redis that `stack up` started (nothing else)')
    .option('--json', 'print a machine-readable summary on stdout')
    .action(async (opts: { json?: boolean }) => {
      const stopped = await stackDown(loadConfig());
      if (opts.json) printJson(stopped);
      else {
        info(`opensearch: ${stopped.opensearch ? 'stopped' : 'was not started by spothreat'}`);
        info(`redis:      ${stopped.redis ? 'stopped' : 'was not started by spothreat'}`);
      }
    });

  stack
    .command('status')
    .description('show what runs, versions, ports and the data folder')
    .option('--json', 'print a machine-readable summary on stdout')
    .action(async (opts: { json?: boolean }) => {
      const status = await stackStatus(loadConfig());
      if (opts.json) return printJson(status);
      const os = status.opensearch;
      const rd = status.redis;
      info(`state folder: ${status.home}`);
      info(`opensearch:   ${os.running ? `up, ${os.health}, version ${os.version}` : 'down'} at ${os.url}${os.managed ? ` (started by spothreat, pid ${os.pid})` : os.running ? ' (not started by spothreat)' : ''}; data ${os.dataDir}`);
      info(`redis:        ${rd.running ? `up, version ${rd.version}` : 'down'} at ${rd.url}${rd.managed ? ` (started by spothreat, pid ${rd.pid})` : rd.running ? ' (not started by spothreat)' : ''}`);
    });
}
