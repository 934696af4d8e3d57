import type { Client } from '@opensearch-project/opensearch';
import type { Config } from '../../config';
import { createOpenSearchClient } from '../../adapters/opensearch/client';
import { DEFAULT_BACKOFF, withBackoff } from '../../adapters/opensearch/backoff';
import { applyTemplates, conflictRefusal } from '../../adapters/opensearch/templates';
import { TemplateFileError } from '../../adapters/opensearch/templateFiles';
import { UserError } from '../output';

/**
 * `templates apply` at the start of a command that writes (score, train, worker), as ingest, demo and `stack up`
 * already do: an index created under an older template (before the ASN fields `source.as.*`, say) rejects the
 * documents that carry a newer field until its mapping is extended, and the write error would not say so.
 * Idempotent: an up-to-date cluster is only read; a cluster still coming up is waited for (with backoff, like
 * ingest). A conflict (a field an existing index maps with another type)
 * stops the command with the conflicting fields and the command that reports them.
 */
export async function applyTemplatesAtStart(config: Config, client?: Client): Promise<void> {
  const own = client ?? createOpenSearchClient(config);
  try {
    const result = await withBackoff(DEFAULT_BACKOFF, () => applyTemplates(own, config.indexPrefix));
    if (!result.ok) {
      throw new UserError(
        conflictRefusal(
          'existing indices conflict with the index templates, so their documents would be rejected; nothing was changed (`spothreat templates apply` lists the same)',
          result.conflicts,
        ),
      );
    }
  } catch (error) {
    if (error instanceof TemplateFileError) throw new UserError(error.message);
    throw error;
  } finally {
    if (!client) await own.close();
  }
}
