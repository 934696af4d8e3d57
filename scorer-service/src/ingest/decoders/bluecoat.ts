import type { ProxyEvent } from '../../domain/events';
import type { DecodeResult } from '../decoder';
import { RecordError, isoFromDateTime, parseCount, parsePort, quote, requireIp } from './fields';
import { provenanceOf } from './flowEvent';
import { type LineParser, textDecoder } from './lineDecoder';
import { buildProxyEvent } from './proxyEvent';


/** The 27 positional fields of Spot's Bluecoat parser (spot-ingest/pipelines/proxy/bluecoat.py), in order. */
export const SPOT_BLUECOAT_FIELDS = [
  'date',
  'time',
  'time-taken',
  'c-ip',
  'cs-username',
  'cs-auth-group',
  'x-exception-id',
  'sc-filter-result',
  'cs-categories',
  'cs(Referer)',
  'sc-status',
  's-action',
  'cs-method',
  'rs(Content-Type)',
  'cs-uri-scheme',
  'cs-host',
  'cs-uri-port',
  'cs-uri-path',
  'cs-uri-query',
  'cs-uri-extension',
  'cs(User-Agent)',
  's-ip',
  'sc-bytes',
  'cs-bytes',
  'x-virus-id',
  'x-bluecoat-application-name',
  'x-bluecoat-application-operation',
] as const;

/**
 * Splits a Bluecoat (W3C ELFF) line on spaces and tabs, honouring double quotes around fields that contain
 * spaces (user agents, categories). The quotes are not part of the value. An unclosed quote is an error.
 */
export function tokenizeElff(line: string): string[] {
  const tokens: string[] = [];
  const length = line.length;
  let i = 0;
  while (i < length) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    if (c === 34) {
      const close = line.indexOf('"', i + 1);
      if (close === -1) throw new RecordError(`has an unclosed quote at character ${i + 1}`);
      tokens.push(line.slice(i + 1, close));
      i = close + 1;
    } else {
      let end = i;
      while (end < length) {
        const d = line.charCodeAt(end);
        if (d === 32 || d === 9) break;
        end++;
      }
      tokens.push(line.slice(i, end));
      i = end;
    }
  }
  return tokens;
}

const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443 };

/** Spot's full URI (host + path + query), with the scheme and a non-default port when the log has them. */
function fullUri(scheme?: string, host?: string, port?: number, path?: string, query?: string): string {
  const portText = port !== undefined && (scheme === undefined || DEFAULT_PORTS[scheme] !== port) ? `:${port}` : '';
  const prefix = scheme !== undefined && host !== undefined ? `${scheme}://` : '';
  return `${prefix}${host ?? ''}${host !== undefined ? portText : ''}${path ?? ''}${query ? `?${query}` : ''}`;
}

function unset(value: string | undefined): string | undefined {
  return value === undefined || value === '-' || value === '' ? undefined : value;
}

/**
 * Bluecoat ProxySG access logs. The field order comes from the log's own `#Fields:` directive when it has
 * one, otherwise Spot's 27-field layout. `-` is an unset value. `s-ip` (the proxy that served the request)
 * becomes destination.ip, as Spot's `serverip`. Times are GMT, as ProxySG writes them by default.
 */
class BluecoatParser implements LineParser {
  private names: readonly string[] = SPOT_BLUECOAT_FIELDS;
  /** Lower-cased field name -> position; ELFF names are case-insensitive. */
  private index = new Map<string, number>(SPOT_BLUECOAT_FIELDS.map((name, i) => [name.toLowerCase(), i]));

  constructor(private readonly file: string) {}

  parse(line: string, lineNumber: number): DecodeResult | undefined {
    if (line.trim().length === 0) return undefined;
    if (line.charCodeAt(0) === 35 /* # */) {
      if (line.startsWith('#Fields:')) {
        this.names = line.slice('#Fields:'.length).trim().split(/\s+/);
        this.index = new Map(this.names.map((name, i) => [name.toLowerCase(), i]));
      }
      return undefined;
    }
    const tokens = tokenizeElff(line);
    if (tokens.length !== this.names.length) {
      throw new RecordError(`has ${tokens.length} fields, the Bluecoat layout has ${this.names.length}`);
    }
    return { ok: true, record: lineNumber, doc: this.toEvent(tokens, lineNumber) };
  }

  private value(tokens: string[], name: string): string | undefined {
    const i = this.index.get(name.toLowerCase());
    return i === undefined ? undefined : unset(tokens[i]);
  }

  private toEvent(tokens: string[], record: number): ProxyEvent {
    const get = (name: string) => this.value(tokens, name);
    const date = get('date');
    const time = get('time');
    if (date === undefined || time === undefined) throw new RecordError('date or time is unset');
    const host = get('cs-host')?.toLowerCase();
    const scheme = get('cs-uri-scheme')?.toLowerCase();
    const portText = get('cs-uri-port');
    const port = portText === undefined ? undefined : parsePort(portText, 'cs-uri-port');
    const path = get('cs-uri-path');
    const queryText = get('cs-uri-query');
    const query = queryText?.startsWith('?') ? queryText.slice(1) : queryText;
    const taken = get('time-taken');
    const status = get('sc-status');
    const serverIp = get('s-ip');
    const count = (name: string): number | undefined => {
      const value = get(name);
      return value === undefined ? undefined : parseCount(value, name);
    };
    const statusCode = status === undefined ? undefined : parseCount(status, 'sc-status');
    if (statusCode !== undefined && statusCode > 999) throw new RecordError(`sc-status ${quote(status as string)} out of range`);
    const original = get('cs-uri') ?? fullUri(scheme, host, port, path, query);
    if (original === '') throw new RecordError('has no URL: cs-host, cs-uri-path and cs-uri are all unset');
    const proxy: ProxyEvent['proxy'] = {};
    const categories = get('cs-categories');
    const filterResult = get('sc-filter-result');
    const action = get('s-action');
    const authGroup = get('cs-auth-group');
    const exception = get('x-exception-id');
    if (categories !== undefined) proxy.categories = categories;
    if (filterResult !== undefined) proxy.filter_result = filterResult;
    if (action !== undefined) proxy.action = action;
    if (authGroup !== undefined) proxy.auth_group = authGroup;
    if (exception !== undefined) proxy.exception_id = exception;
    return buildProxyEvent(
      {
        timestamp: isoFromDateTime(`${date} ${time}`, 'date and time'),
        clientIp: requireIp(get('c-ip') ?? '', 'c-ip'),
        serverIp: serverIp === undefined ? undefined : requireIp(serverIp, 's-ip'),
      },
      {
        durationNs: taken === undefined ? undefined : parseCount(taken, 'time-taken') * 1_000_000,
        original,
        scheme,
        host,
        port,
        path,
        query,
        extension: get('cs-uri-extension'),
        method: get('cs-method'),
        referrer: get('cs(Referer)'),
        requestBytes: count('cs-bytes'),
        responseBytes: count('sc-bytes'),
        status: statusCode,
        mimeType: get('rs(Content-Type)'),
        userAgent: get('cs(User-Agent)'),
        userName: get('cs-username'),
        action,
        proxy,
      },
      provenanceOf('bluecoat', this.file, record),
    );
  }
}

export const bluecoatDecoder = textDecoder('bluecoat', ['proxy'], (file) => new BluecoatParser(file));
