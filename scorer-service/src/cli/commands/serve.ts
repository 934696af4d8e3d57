import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { composeApi } from '../../composition';
import { info, UserError } from '../output';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'Serve the HTTP API the Grafana app calls (docs/api.md) on SPOTHREAT_API_HOST:SPOTHREAT_API_PORT; every route but ' +
        '/api/v1/health needs the bearer token SPOTHREAT_API_TOKEN. Stops on SIGINT/SIGTERM.',
    )
    .option('--port <n>', 'listen on this port instead of SPOTHREAT_API_PORT (0 picks a free one)')
    .action(async (opts: { port?: string }) => {
      const config = loadConfig();
      if (!config.api.token) throw new UserError('SPOTHREAT_API_TOKEN is not set: the API refuses to serve without a bearer token; set it to 16 or more random characters, e.g. SPOTHREAT_API_TOKEN=$(openssl rand -hex 24)');
      const port = opts.port === undefined ? config.api.port : Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UserError(`--port must be 0..65535, got "${opts.port}"`);
      const api = await composeApi(config, { onServerError: (error) => info(`server error: ${error.stack ?? error.message}`) });
      const address = await api.app.listen({ host: config.api.host, port });
      info(`serving the API on ${address}`);
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          info(`${signal}: closing`);
          void api.close().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
