import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { StoredSuspicious } from '../../adapters/opensearch/suspiciousStore';
import {
  geoQuerySchema,
  networkQuerySchema,
  threatParamsSchema,
  threatsExportQuerySchema,
  threatsQuerySchema,
  type GeoResponse,
  type NetworkResponse,
  type ThreatsResponse,
} from '../contract';
import { ApiError, parseInput } from '../errors';
import { buildNetworkGraph, geoPoints } from '../networkGraph';
import type { ApiDeps } from '../server';
import { findThreats, threatPages } from '../threatService';
import { csvHeader, csvLine, threatRow } from '../threatView';

/** OpenSearch's default index.max_result_window: how deep from + size may page. The export reads past it. */
const MAX_LISTED = 10_000;

/** Pages the export reads at a time, so a large export never holds more than this many rows. */
const EXPORT_PAGE = 1_000;

/** The export's text, one page at a time: CSV lines, or the rows of one JSON array. */
async function* exportText(first: StoredSuspicious[], rest: AsyncIterable<StoredSuspicious[]>, json: boolean): AsyncGenerator<string> {
  let written = 0;
  const render = (page: StoredSuspicious[]): string => {
    if (!json) return page.map((stored) => csvLine(threatRow(stored))).join('');
    const text = page.map((stored, i) => `${written + i === 0 ? '' : ','}${JSON.stringify(threatRow(stored))}`).join('');
    written += page.length;
    return text;
  };
  yield json ? `[${render(first)}` : csvHeader() + render(first);
  for await (const page of rest) yield render(page);
  if (json) yield ']';
}

export function registerThreatRoutes(app: FastifyInstance, { services }: ApiDeps): void {
  app.get('/api/v1/threats', async (request): Promise<ThreatsResponse> => {
    const q = parseInput(threatsQuerySchema, request.query, 'query');
    if (q.page * q.pageSize > MAX_LISTED) {
      const message = `pages reach the first ${MAX_LISTED} threats only; narrow the filters or use /api/v1/threats/export`;
      throw new ApiError(400, message, [{ path: 'page', message }]);
    }
    const found = await findThreats(services, q.type, q, {
      sort: q.sort,
      from: (q.page - 1) * q.pageSize,
      size: q.pageSize,
      includeSuppressed: q.includeSuppressed,
    });
    return { items: found.items.map(threatRow), total: found.total, page: q.page, pageSize: q.pageSize, suppressed: found.suppressed };
  });

  app.get('/api/v1/threats/export', async (request, reply) => {
    const q = parseInput(threatsExportQuerySchema, request.query, 'query');
    const pages = threatPages(services, q.type, q, { sort: q.sort, limit: q.limit, pageSize: EXPORT_PAGE, includeSuppressed: q.includeSuppressed });
    // The first page is read before the response starts, so a failing query is still answered with its status.
    const first = await pages.next();
    const name = `spothreat-${q.type}-${q.from.slice(0, 10)}`;
    const json = q.format === 'json';
    reply
      .header('content-type', json ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}.${json ? 'json' : 'csv'}"`);
    return reply.send(Readable.from(exportText(first.done ? [] : first.value, pages, json)));
  });

  app.get('/api/v1/threats/:type/:id', async (request) => {
    const params = parseInput(threatParamsSchema, request.params, 'path');
    const found = await services.suspicious.get(params.type, params.id);
    if (!found) throw new ApiError(404, `no ${params.type} threat with id ${params.id}`);
    return threatRow(found);
  });

  app.get('/api/v1/network', async (request): Promise<NetworkResponse> => {
    const q = parseInput(networkQuerySchema, request.query, 'query');
    const found = await findThreats(services, q.type, q, { sort: 'rank', from: 0, size: q.limit, includeSuppressed: q.includeSuppressed });
    return buildNetworkGraph(q.type, found.items.map(threatRow));
  });

  app.get('/api/v1/geo', async (request): Promise<GeoResponse> => {
    const q = parseInput(geoQuerySchema, request.query, 'query');
    const found = await findThreats(services, q.type, q, { sort: 'rank', from: 0, size: q.limit, includeSuppressed: q.includeSuppressed });
    return { points: geoPoints(found.items.map(threatRow)) };
  });
}
