import type { FastifyInstance } from 'fastify';
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
import { findThreats } from '../threatService';
import { csvHeader, csvLine, threatRow } from '../threatView';

/** Pages the export reads at a time, so a large export never holds more than this many rows. */
const EXPORT_PAGE = 1_000;

export function registerThreatRoutes(app: FastifyInstance, { services }: ApiDeps): void {
  app.get('/api/v1/threats', async (request): Promise<ThreatsResponse> => {
    const q = parseInput(threatsQuerySchema, request.query, 'query');
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
    const rows = [];
    for (let from = 0; from < q.limit; from += EXPORT_PAGE) {
      const page = await findThreats(services, q.type, q, { sort: q.sort, from, size: Math.min(EXPORT_PAGE, q.limit - from), includeSuppressed: q.includeSuppressed });
      rows.push(...page.items.map(threatRow));
      if (page.items.length < EXPORT_PAGE || from + EXPORT_PAGE >= page.total) break;
    }
    const name = `spothreat-${q.type}-${q.from.slice(0, 10)}`;
    if (q.format === 'json') {
      reply.header('content-disposition', `attachment; filename="${name}.json"`);
      return rows;
    }
    reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`);
    return csvHeader() + rows.map(csvLine).join('');
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
