import { parse as parseDomain } from 'tldts';
import type { Provenance, ProxyEvent } from '../../domain/events';
import type { Exchange } from './exchange';

export interface ProxyFields {
  durationNs?: number;
  /** The URL as the log wrote it. */
  original: string;
  scheme?: string;
  host?: string;
  port?: number;
  /** Path and query as one (`/a/b.php?x=1`); split here. */
  pathAndQuery?: string;
  /** Separate path and query, when the log has them apart (Bluecoat). Query without its `?`. */
  path?: string;
  query?: string;
  extension?: string;
  method?: string;
  referrer?: string;
  requestBytes?: number;
  responseBytes?: number;
  status?: number;
  mimeType?: string;
  userAgent?: string;
  userName?: string;
  action?: string;
  proxy?: ProxyEvent['proxy'];
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ftp: 21 };

/**
 * Splits an absolute URL (`http://host:8080/p?q`) or an authority (`host:443`, what a CONNECT names) into
 * the parts ECS `url.*` holds. Returns undefined when the text is neither (then only `url.original` is kept).
 */
export function splitUrl(text: string): { scheme?: string; host: string; port?: number; pathAndQuery?: string } | undefined {
  const schemeEnd = text.indexOf('://');
  let rest = text;
  let scheme: string | undefined;
  if (schemeEnd > 0 && /^[A-Za-z][A-Za-z0-9+.-]*$/.test(text.slice(0, schemeEnd))) {
    scheme = text.slice(0, schemeEnd).toLowerCase();
    rest = text.slice(schemeEnd + 3);
  } else if (text.startsWith('/')) {
    return undefined;
  }
  const slash = rest.search(/[/?#]/);
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const pathAndQuery = slash === -1 ? undefined : rest.slice(slash);
  const at = authority.lastIndexOf('@');
  const hostPort = at === -1 ? authority : authority.slice(at + 1);
  const match = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(hostPort);
  if (!match) return undefined;
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && port > 65535) return undefined;
  return { scheme, host: match[1].toLowerCase(), port, pathAndQuery };
}

function extensionOf(path: string): string | undefined {
  const lastSegment = path.slice(path.lastIndexOf('/') + 1);
  const dot = lastSegment.lastIndexOf('.');
  if (dot <= 0 || dot === lastSegment.length - 1) return undefined;
  const extension = lastSegment.slice(dot + 1).toLowerCase();
  return /^[a-z0-9]{1,10}$/.test(extension) ? extension : undefined;
}

/** The ECS proxy/web document Squid, Bluecoat and Zeek http.log decoders emit. */
export function buildProxyEvent(exchange: Exchange, fields: ProxyFields, provenance: Provenance): ProxyEvent {
  const url: ProxyEvent['url'] = { original: fields.original };
  let path = fields.path;
  let query = fields.query;
  if (fields.pathAndQuery !== undefined) {
    const mark = fields.pathAndQuery.indexOf('?');
    path = mark === -1 ? fields.pathAndQuery : fields.pathAndQuery.slice(0, mark);
    query = mark === -1 ? undefined : fields.pathAndQuery.slice(mark + 1);
  }
  if (fields.scheme !== undefined) url.scheme = fields.scheme;
  if (fields.host !== undefined && fields.host !== '') {
    url.domain = fields.host;
    const parsed = parseDomain(fields.host, { allowPrivateDomains: false, extractHostname: false });
    if (!parsed.isIp && parsed.domain) url.registered_domain = parsed.domain;
    if (!parsed.isIp && parsed.publicSuffix) url.top_level_domain = parsed.publicSuffix;
    const defaultPort = fields.scheme === undefined ? undefined : DEFAULT_PORTS[fields.scheme];
    const portText = fields.port !== undefined && fields.port !== defaultPort ? `:${fields.port}` : '';
    if (fields.scheme !== undefined) {
      url.full = `${fields.scheme}://${fields.host}${portText}${path ?? ''}${query !== undefined && query !== '' ? `?${query}` : ''}`;
    }
  }
  if (fields.port !== undefined) url.port = fields.port;
  if (path !== undefined && path !== '') url.path = path;
  if (query !== undefined && query !== '') url.query = query;
  const extension = fields.extension ?? (path === undefined ? undefined : extensionOf(path));
  if (extension !== undefined && extension !== '') url.extension = extension;

  const request: ProxyEvent['http']['request'] = {};
  if (fields.method !== undefined) request.method = fields.method;
  if (fields.referrer !== undefined) request.referrer = fields.referrer;
  if (fields.requestBytes !== undefined) request.bytes = fields.requestBytes;
  const response: ProxyEvent['http']['response'] = {};
  if (fields.status !== undefined) response.status_code = fields.status;
  if (fields.responseBytes !== undefined) response.bytes = fields.responseBytes;
  if (fields.mimeType !== undefined) response.mime_type = fields.mimeType;

  const event: ProxyEvent['event'] = { kind: 'event', category: ['web', 'network'], type: ['access'], dataset: 'spothreat.proxy' };
  if (fields.durationNs !== undefined) event.duration = fields.durationNs;
  if (fields.action !== undefined) event.action = fields.action;

  const source: ProxyEvent['source'] = { ip: exchange.clientIp };
  if (exchange.clientPort !== undefined) source.port = exchange.clientPort;
  if (fields.requestBytes !== undefined) source.bytes = fields.requestBytes;
  const destination: ProxyEvent['destination'] = {};
  if (exchange.serverIp !== undefined) destination.ip = exchange.serverIp;
  if (exchange.serverPort !== undefined) destination.port = exchange.serverPort;
  if (fields.responseBytes !== undefined) destination.bytes = fields.responseBytes;
  if (url.domain !== undefined) destination.domain = url.domain;

  const doc: ProxyEvent = { '@timestamp': exchange.timestamp, event, source, destination, url, http: { request, response }, spothreat: provenance };
  if (fields.userAgent !== undefined && fields.userAgent !== '') doc.user_agent = { original: fields.userAgent };
  if (fields.userName !== undefined && fields.userName !== '') doc.user = { name: fields.userName };
  if (fields.proxy !== undefined && Object.keys(fields.proxy).length > 0) doc.proxy = fields.proxy;
  return doc;
}
