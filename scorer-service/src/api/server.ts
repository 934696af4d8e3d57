import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cors from '@fastify/cors';
import type { ScoringServices } from '../composition';
import type { JobQueues } from '../queues/jobQueues';
import { tokenMatches } from './auth';
import { ApiError } from './errors';
import type { ApiMetrics } from './metrics';
import { registerAnalystRoutes } from './routes/analyst';
import { registerInvestigationRoutes } from './routes/investigation';
import { registerSystemRoutes } from './routes/system';
import { registerThreatRoutes } from './routes/threats';

/**
 * The scorer-service HTTP API (docs/api.md, contract.ts). Every route validates its input with the contract's zod
 * schemas; every route but health needs the bearer token; CORS stays off unless an origin is configured.
 */

export interface ApiDeps {
  services: ScoringServices;
  queues: JobQueues;
  metrics: ApiMetrics;
  version: string;
  /** Where unexpected errors go (the serve command prints them); the client only sees "internal error". */
  onServerError?: (error: Error) => void;
}

export interface ApiSettings {
  /** Required: the server refuses to start without a token. */
  token: string;
  corsOrigin?: string;
  bodyLimitBytes: number;
}

export type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const OPEN_ROUTES = new Set(['/api/v1/health']);

export async function buildServer(deps: ApiDeps, settings: ApiSettings): Promise<FastifyInstance> {
  if (settings.token.length < 16) throw new Error('the API token must be at least 16 characters');
  const app = Fastify({ bodyLimit: settings.bodyLimitBytes, logger: false });
  if (settings.corsOrigin) await app.register(cors, { origin: settings.corsOrigin, methods: ['GET', 'POST', 'PUT', 'DELETE'] });

  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url ?? request.url;
    if (OPEN_ROUTES.has(route) || request.method === 'OPTIONS') return;
    if (!tokenMatches(settings.token, request.headers.authorization)) {
      reply.header('www-authenticate', 'Bearer');
      throw new ApiError(401, 'a valid bearer token is required (Authorization: Bearer <token>)');
    }
  });
  app.addHook('onResponse', async (request, reply) => {
    deps.metrics.httpRequests.inc({ route: request.routeOptions.url ?? 'unknown', status: String(reply.statusCode) });
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, _request, reply) => {
    if (error instanceof ApiError) {
      return reply.status(error.statusCode).send({
        statusCode: error.statusCode,
        error: statusText(error.statusCode),
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
      });
    }
    // Fastify's own client errors (malformed JSON, body too large, unsupported media type) keep their status; any
    // other error (an OpenSearch 400 among them) is the server's fault, never the caller's.
    const fromFastify = typeof error.code === 'string' && error.code.startsWith('FST_');
    const status = fromFastify && error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) deps.onServerError?.(error);
    const unavailable = status === 500 && isDependencyDown(error);
    const code = unavailable ? 503 : status;
    return reply.status(code).send({
      statusCode: code,
      error: statusText(code),
      message: code === 500 ? 'internal error' : unavailable ? `a dependency is unavailable: ${error.message}` : error.message,
    });
  });
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({ statusCode: 404, error: 'Not Found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });

  registerThreatRoutes(app, deps);
  registerAnalystRoutes(app, deps);
  registerInvestigationRoutes(app, deps);
  registerSystemRoutes(app, deps);
  return app;
}

function isDependencyDown(error: Error & { code?: string }): boolean {
  return ['ConnectionError', 'NoLivingConnectionsError', 'TimeoutError'].includes(error.name) || error.code === 'ECONNREFUSED' || /Connection is closed|ECONNREFUSED/.test(error.message);
}

function statusText(code: number): string {
  return (
    { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 500: 'Internal Server Error', 503: 'Service Unavailable' }[code] ??
    'Error'
  );
}
