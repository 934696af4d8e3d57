import { stat } from 'node:fs/promises';
import type { DnsEvent } from '../../domain/events';
import type { DecodeContext, DecodeResult } from '../decoder';
import { readFileBytes, splitLines } from '../lineReader';
import { describeToolExit, startTool, toolFailed } from './childProcess';
import { buildDnsEvent } from './dnsEvent';
import { FormatError, RecordError, isIp, isoFromEpochSeconds, parseCount, parsePort, quote, requireIp } from './fields';
import { FieldSplitter } from './fieldSplitter';
import { provenanceOf, transportOf } from './flowEvent';
import { type LineParser, decodeLines, rejection } from './lineDecoder';
import { defineDecoder } from './support';

/** The tshark fields read for every DNS response, in output order. */
export const TSHARK_FIELDS = [
  'frame.number',
  'frame.time_epoch',
  'frame.len',
  'ip.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'udp.srcport',
  'udp.dstport',
  'tcp.srcport',
  'tcp.dstport',
  'dns.id',
  'dns.qry.name',
  'dns.qry.type',
  'dns.qry.class',
  'dns.flags.rcode',
  'dns.resp.name',
  'dns.resp.type',
  'dns.resp.class',
  'dns.a',
  'dns.aaaa',
  'dns.cname',
] as const;

const F = Object.fromEntries(TSHARK_FIELDS.map((name, i) => [name, i])) as Record<(typeof TSHARK_FIELDS)[number], number>;

/**
 * DNS responses only, as Spot captured them: a response carries both the question and the answer.
 * Every occurrence of a field is printed (`occurrence=a`), joined by commas; name resolution is off.
 */
export function tsharkArguments(path: string): string[] {
  return [
    '-r',
    path,
    '-n',
    '-Y',
    'dns.flags.response == 1',
    '-T',
    'fields',
    '-E',
    'separator=/t',
    '-E',
    'occurrence=a',
    '-E',
    'aggregator=,',
    '-E',
    'quote=n',
    '-E',
    'header=n',
    ...TSHARK_FIELDS.flatMap((field) => ['-e', field]),
  ];
}

/** tshark warns on stderr whenever it runs as root; that is not a decoding problem. */
const TSHARK_NOISE = /^Running as user "root" and group "root"\. This could be dangerous\.$/;

function first(value: string): string {
  const comma = value.indexOf(',');
  return comma === -1 ? value : value.slice(0, comma);
}

function numberOf(text: string, what: string): number | undefined {
  if (text === '') return undefined;
  // tshark prints ids and classes in hex (`0x12b0`, `0x0001`) and types and rcodes in decimal.
  if (text.startsWith('0x')) {
    if (!/^0x[0-9a-fA-F]{1,8}$/.test(text)) throw new RecordError(`${what} ${quote(text)} is not a number`);
    return parseInt(text, 16);
  }
  return parseCount(text, what);
}

/**
 * One tshark output line per DNS response packet, numbered by its frame number. The client is the
 * DESTINATION of the response (it asked), the resolver its source. A response without a question (mDNS
 * announcements) is named by its first answer's name, as Spot's ingest did with `dns.resp.name`.
 */
export class TsharkDnsParser implements LineParser {
  private readonly fields = new FieldSplitter('\t', 32);
  /** DNS response packets read, decoded or rejected. */
  packets = 0;
  /** Frame number of the last of them. */
  lastFrame = 0;

  constructor(private readonly file: string) {}

  parse(line: string, lineNumber: number): DecodeResult | undefined {
    if (line.length === 0) return undefined;
    this.packets++;
    const f = this.fields;
    const width = f.split(line);
    const frame = Number(f.get(F['frame.number']));
    const record = Number.isInteger(frame) && frame > 0 ? frame : lineNumber;
    this.lastFrame = record;
    try {
      if (width !== TSHARK_FIELDS.length) throw new RecordError(`tshark printed ${width} fields, ${TSHARK_FIELDS.length} were asked for`);
      return { ok: true, record, doc: this.toEvent(record) };
    } catch (error) {
      if (!(error instanceof RecordError)) throw error;
      return rejection(record, `packet ${record}: ${error.message}`, line);
    }
  }

  private toEvent(record: number): DnsEvent {
    const get = (name: (typeof TSHARK_FIELDS)[number]) => this.fields.get(F[name]);
    const v4 = get('ip.src') !== '';
    const server = first(v4 ? get('ip.src') : get('ipv6.src'));
    const client = first(v4 ? get('ip.dst') : get('ipv6.dst'));
    if (server === '' || client === '') throw new RecordError('has no IP addresses');
    const udp = get('udp.srcport') !== '';
    const serverPort = first(udp ? get('udp.srcport') : get('tcp.srcport'));
    const clientPort = first(udp ? get('udp.dstport') : get('tcp.dstport'));
    const questionName = first(get('dns.qry.name'));
    const fromAnswer = questionName === '';
    const name = fromAnswer ? first(get('dns.resp.name')) : questionName;
    if (name === '') throw new RecordError('has neither a question nor an answer name');
    const qtype = numberOf(first(fromAnswer ? get('dns.resp.type') : get('dns.qry.type')), 'query type');
    const qclassText = first(fromAnswer ? get('dns.resp.class') : get('dns.qry.class'));
    // mDNS sets the top bit of the class for "cache flush" / "unicast response"; the class is the rest.
    const qclass = qclassText === '' ? undefined : (numberOf(qclassText, 'query class') as number) & 0x7fff;
    const a = get('dns.a');
    const aaaa = get('dns.aaaa');
    const cname = get('dns.cname');
    const answers = [
      ...(a === '' ? [] : a.split(',').map((data) => ({ data, type: 'A' }))),
      ...(aaaa === '' ? [] : aaaa.split(',').map((data) => ({ data, type: 'AAAA' }))),
      ...(cname === '' ? [] : cname.split(',').map((data) => ({ data, type: 'CNAME' }))),
    ];
    return buildDnsEvent(
      {
        timestamp: isoFromEpochSeconds(get('frame.time_epoch'), 'frame.time_epoch'),
        clientIp: requireIp(client, 'client address (response destination)'),
        clientPort: clientPort === '' ? undefined : parsePort(clientPort, 'client port'),
        serverIp: requireIp(server, 'server address (response source)'),
        serverPort: serverPort === '' ? undefined : parsePort(serverPort, 'server port'),
      },
      {
        protocol: transportOf(udp ? 'udp' : 'tcp'),
        bytes: numberOf(get('frame.len'), 'frame.len'),
        isAnswer: true,
        id: numberOf(first(get('dns.id')), 'dns.id'),
        name,
        qtype,
        qclass,
        rcode: numberOf(first(get('dns.flags.rcode')), 'rcode'),
        answers,
        resolvedIps: answers.filter((answer) => answer.type !== 'CNAME' && isIp(answer.data)).map((answer) => answer.data),
        tags: fromAnswer ? ['question_from_answer'] : undefined,
      },
      provenanceOf('pcap', this.file, record),
    );
  }
}

/** Leading bytes of pcap (both byte orders, micro- and nanosecond variants) and pcapng files. */
const CAPTURE_MAGICS = ['a1b2c3d4', 'd4c3b2a1', 'a1b23c4d', '4d3cb2a1', '0a0d0d0a'];

/**
 * tshark guesses at files that are no capture at all (it reads a text log as an "MP4" or a radio-tap
 * capture and prints nonsense packets), so the file's own first bytes decide first.
 */
async function isCaptureWithContent(path: string, file: string): Promise<boolean> {
  let head = Buffer.alloc(0);
  for await (const chunk of readFileBytes(path)) {
    head = Buffer.concat([head, chunk]);
    if (head.length >= 4) break;
  }
  if (head.length === 0) return false;
  const magic = head.subarray(0, 4).toString('hex');
  if (!CAPTURE_MAGICS.includes(magic)) {
    throw new FormatError(`${file}: not a pcap or pcapng capture (it starts with the bytes ${magic.replace(/(..)(?!$)/g, '$1 ')})`);
  }
  return true;
}

/**
 * DNS responses from pcap/pcapng files (gzipped too: tshark reads gzip itself). tshark's failure (a file
 * cut short mid-packet exits 2) after some packets ends the results with one rejection saying so; with no
 * packet read, the file is unreadable and decoding throws.
 */
async function* decodePcap(path: string, ctx: DecodeContext): AsyncGenerator<DecodeResult> {
  const { size } = await stat(path);
  if (size === 0 || !(await isCaptureWithContent(path, ctx.file))) return;
  const tshark = startTool('tshark', tsharkArguments(path), { stderrNoise: TSHARK_NOISE });
  try {
    const parser = new TsharkDnsParser(ctx.file);
    yield* decodeLines(path, ctx, parser, { lines: splitLines(tshark.stdout), unit: 'packet' });
    const exit = await tshark.exit;
    ctx.onBytes?.(size);
    if (toolFailed(exit)) {
      if (parser.packets === 0) throw new Error(`${ctx.file}: tshark could not decode it: ${describeToolExit('tshark', exit)}`);
      const next = parser.lastFrame + 1;
      yield rejection(
        next,
        `packet ${next}: decoding stopped after ${parser.packets} DNS responses: ${describeToolExit('tshark', exit)}`,
        exit.stderr,
      );
    }
  } finally {
    tshark.stop();
  }
}

export const pcapDecoder = defineDecoder('pcap', ['dns'], (path, _dataType, ctx) => decodePcap(path, ctx));
