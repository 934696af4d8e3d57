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
