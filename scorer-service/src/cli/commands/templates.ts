import type { Command } from 'commander';
import { loadConfig } from '../../config';
import { createOpenSearchClient } from '../../adapters/opensearch/client';
import { applyTemplates, conflictRefusal, type ApplyResult } from '../../adapters/opensearch/templates';
import { TemplateFileError } from '../../adapters/opensearch/templateFiles';
import { info, printJson, UserError } from '../output';

function report(result: ApplyResult): void {
  for (const t of result.templates) info(`${t.kind.padEnd(9)} ${t.name.padEnd(32)} ${t.action}${t.detail ? ` (${t.detail})` : ''}`);
  for (const e of result.extended) info(`index     ${e.index}: added ${e.fields.length} field(s) from ${e.templateName}: ${e.fields.join(', ')}`);
}

export function registerTemplates(program: Command): void {
  const templates = program.command('templates').description('the index templates, component templates and ISM policies in opensearch-templates/');

  templates
    .command('apply')
    .description('install every template idempotently; refuses (and changes nothing) when an existing index conflicts')
    .option('--json', 'print a machine-readable result on stdout')
    .action(async (opts: { json?: boolean }) => {
      const config = loadConfig();
      const client = createOpenSearchClient(config);
      let result: ApplyResult;
      try {
        result = await applyTemplates(client, config.indexPrefix);
      } catch (error) {
        if (error instanceof TemplateFileError) throw new UserError(error.message);
        throw error;
      } finally {
        await client.close();
      }
      if (opts.json) printJson(result);
      else report(result);
      if (!result.ok) {
        throw new UserError(conflictRefusal('existing indices conflict with the templates; nothing was installed', result.conflicts));
      }
    });
}
