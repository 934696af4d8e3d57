import type { ProxyEvent } from '../../domain/events';
import type { DecodeResult } from '../decoder';
import { RecordError, isIp, isoFromEpochSeconds, parseCount, quote, requireIp } from './fields';
import { provenanceOf } from './flowEvent';
import { type LineParser, textDecoder } from './lineDecoder';
import { buildProxyEvent, splitUrl } from './proxyEvent';


const SQUID_FIELDS = 10;

function unset(value: string): string | undefined {
  return value === '-' || value === '' ? undefined : value;
}

/**
 * Squid's native access.log (`logformat squid`): `time elapsed client code/status bytes method URL rfc931
 * peerstatus/peerhost type`, separated by runs of spaces (Squid pads `elapsed`). A line with any other
 * number of fields is rejected, since fields could not be told apart; this is also what a log in another
 * format gets, line by line, so a wrong `--format` shows as every line rejected with this reason.
 */
class SquidParser implements LineParser {
  constructor(private readonly file: string) {}

  parse(line: string, lineNumber: number): DecodeResult | undefined {
    const text = line.trim();
    if (text.length === 0) return undefined;
    const fields = text.split(/\s+/);
    if (fields.length !== SQUID_FIELDS) {
      throw new RecordError(`has ${fields.length} space-separated fields; Squid's native access.log format has ${SQUID_FIELDS}`);
    }
    return { ok: true, record: lineNumber, doc: this.toEvent(fields, lineNumber) };
  }

  private toEvent(fields: string[], record: number): ProxyEvent {
    const [time, elapsed, client, codeStatus, bytes, method, url, user, hierarchy, mimeType] = fields;
    const slash = codeStatus.indexOf('/');
    if (slash <= 0) throw new RecordError(`result ${quote(codeStatus)} is not CODE/STATUS`);
    const status = parseCount(codeStatus.slice(slash + 1), 'HTTP status');
    if (status > 999) throw new RecordError(`HTTP status ${quote(codeStatus.slice(slash + 1))} out of range`);
    const peer = hierarchy.slice(hierarchy.indexOf('/') + 1);
    const parts = splitUrl(url);
    return buildProxyEvent(
      {
        timestamp: isoFromEpochSeconds(time, 'time'),
        clientIp: requireIp(client, 'client address'),
        serverIp: isIp(peer) ? peer : undefined,
      },
      {
        durationNs: parseCount(elapsed, 'elapsed milliseconds') * 1_000_000,
        original: url,
        scheme: parts?.scheme,
        host: parts?.host,
        port: parts?.port,
        pathAndQuery: parts?.pathAndQuery,
        method: unset(method),
        // Squid logs the bytes it delivered to the client, headers included.
        responseBytes: parseCount(bytes, 'bytes'),
        // Status 000: no reply was received or sent (aborted, denied before a reply).
        status: status === 0 ? undefined : status,
        mimeType: unset(mimeType),
        userName: unset(user),
        action: codeStatus.slice(0, slash),
      },
      provenanceOf('squid', this.file, record),
    );
  }
}

export const squidDecoder = textDecoder('squid', ['proxy'], (file) => new SquidParser(file));
