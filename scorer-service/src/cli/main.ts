import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config';
import { registerBench } from './commands/bench';
import { registerDemo } from './commands/demo';
import { registerGenerate } from './commands/generate';
import { registerStack } from './commands/stack';
import { registerIngest } from './commands/ingest';
import { registerTemplates } from './commands/templates';
import { registerWatch } from './commands/watch';
import { registerScorerCommands } from './commands/score';
import { registerEnrich } from './commands/enrich';
import { registerEval } from './commands/eval';
import { UserError } from './output';

/** What a first-time user needs beyond the command list: where to start, what to configure, where to read on. */
const ROOT_HELP_FOOTER = `
Start here:
  spothreat demo                      local OpenSearch + Redis, a generated day with labelled attacks,
                                      ingested and scored through the workers; then the API and app page
  spothreat stack up                  only the local OpenSearch node and Redis (templates applied)
  spothreat ingest flow --format nfdump-csv FILE...   then   spothreat score flow --day YYYY-MM-DD

Configuration is read from the environment and checked as a whole; the most used variables:
  SPOTHREAT_OPENSEARCH_URL, SPOTHREAT_OPENSEARCH_PORT   the cluster (default http://127.0.0.1:9200);
                                      the port is where "stack up" starts its node
  SPOTHREAT_REDIS_URL, SPOTHREAT_REDIS_PORT             Redis for the jobs (default redis://127.0.0.1:6379)
  SPOTHREAT_INDEX_PREFIX, SPOTHREAT_QUEUE_PREFIX        keep several installations apart on one cluster / Redis
  SPOTHREAT_API_TOKEN, SPOTHREAT_API_PORT               "serve" (a token of 16+ characters is required)
  SPOTHREAT_HOME                      state folder (default <repo>/.spothreat)
  Every variable: README.md ("Configuration") and docs/api.md ("Running it").

Each command has --help. Exit status 0 on success, non-zero with a one-line reason;
SPOTHREAT_DEBUG=1 adds the stack trace.`;

/** The `spothreat` command line: one program, a --help on every command, a one-line reason on failure. */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('spothreat')
    .description(
      "Network-threat analytics over OpenSearch: ingest flow, DNS and proxy telemetry, score every IP's " +
        'events against what is normal for it, and work the ranked few thousand in Grafana.',
    )
    .version((require('../../package.json') as { version: string }).version, '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', ROOT_HELP_FOOTER)
    .exitOverride();
  registerStack(program);
  for (const register of [registerTemplates, registerIngest, registerWatch, registerBench, registerScorerCommands, registerEnrich, registerGenerate, registerDemo, registerEval]) register(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof ConfigError || error instanceof UserError) {
      process.stderr.write(`spothreat: ${error.message}\n`);
      return error instanceof UserError ? error.exitCode : 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`spothreat: ${message}\n`);
    if (process.env.SPOTHREAT_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

/** Entry point used by bin/spothreat.cjs. */
export function runCli(): void {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
