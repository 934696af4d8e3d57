import { ASSET_TYPES, PATH_WORDS, PUBLIC_RESOLVERS } from './catalog';
import { registrableGuess, type DomainCatalog } from './domains';
import { reverseName } from './ipv4';
import type { Host, Network } from './network';
import { Dice, WeightedTable } from './random';
import { dnsLookup, proxyRecord, tcpConnection, udpExchange, type DayRecord, type WebRequest } from './records';

/**
 * The primitives benign sessions are built from: ephemeral ports per host, DNS lookups through the internal
 * resolvers (with their forwarding on a cache miss), TCP and UDP exchanges, and web requests through the gateway.
 * Each call appends records to `out`; nothing here decides who talks when.
 */

export const QTYPE = { A: 1, NS: 2, CNAME: 5, SOA: 6, NULL: 10, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33 } as const;
export const RCODE = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3 } as const;

export interface LookupResult {
  rcode: number;
  addresses: readonly string[];
  /** When the answer reached the client. */
  answeredAt: number;
}

const CACHE_MISS_RATE = 0.3;
const REQUEST_HEADER_BYTES = 520;
const ASSET_TABLE = new WeightedTable(ASSET_TYPES.map((t) => t.share));
const HEX = '0123456789abcdef';

export class TrafficKit {
  private readonly nextPort: Uint16Array;
  private readonly hostsByName = new Map<string, Host>();
  private readonly hostsByIp = new Map<string, Host>();
  /** Servers and DMZ hosts: what administrators log in to and the monitoring polls. */
  readonly managedHosts: readonly Host[];
  /** Data-centre servers alone: what the backup pulls from. */
  readonly dataCentreHosts: readonly Host[];
  readonly dmzHosts: readonly Host[];
  readonly remoteWorkers: readonly Host[];

  constructor(
    readonly network: Network,
    readonly domains: DomainCatalog,
    readonly dice: Dice,
  ) {
    this.managedHosts = network.hosts.filter((h) => h.role === 'server' || h.role === 'dmz');
    this.dataCentreHosts = network.hosts.filter((h) => h.role === 'server');
    this.dmzHosts = network.hosts.filter((h) => h.role === 'dmz');
    this.remoteWorkers = network.hosts.filter((h) => h.role === 'vpn-client');
    this.nextPort = new Uint16Array(network.hosts.length);
    for (const host of network.hosts) {
      this.nextPort[host.index] = host.os === 'linux' ? dice.between(32768, 60999) : dice.between(49152, 65535);
      this.hostsByName.set(host.name, host);
      this.hostsByIp.set(host.ip, host);
    }
  }

  /** The next ephemeral source port of a host, wrapping in its operating system's range. */
  port(host: Host): number {
    const port = this.nextPort[host.index];
    const [low, high] = host.os === 'linux' ? [32768, 60999] : [49152, 65535];
    this.nextPort[host.index] = port >= high ? low : port + 1;
    return port;
  }

  resolverFor(host: Host): Host {
    const resolvers = this.network.servers.resolver;
    return resolvers[host.index % resolvers.length];
  }

  internalHost(name: string): Host | undefined {
    return this.hostsByName.get(name);
  }

  hostAt(ip: string): Host | undefined {
    return this.hostsByIp.get(ip);
  }

  /**
   * A lookup by `host` through its resolver. Internal names answer from the directory, PTR queries for
   * internal addresses too; everything else from the domain catalog. A cache miss makes the resolver ask a
   * public resolver, which shows as two more flows.
   */
  lookup(host: Host, time: number, query: string, qtype: number, out: DayRecord[], forceRcode?: number): LookupResult {
    const dice = this.dice;
    const resolver = this.resolverFor(host);
    let rcode: number = RCODE.NOERROR;
    let answers: string[] = [];
    let ttls: number[] = [];
    let addresses: string[] = [];
    const internal = query.endsWith(this.network.domain) || query.endsWith('.in-addr.arpa');
    if (forceRcode !== undefined) {
      rcode = forceRcode;
    } else if (internal && qtype === QTYPE.SRV) {
      // Domain-controller locator records (`_ldap._tcp.dc._msdcs...`); Zeek logs an SRV answer as its target name.
      answers = this.network.servers['domain-controller'].map((dc) => dc.name);
      ttls = answers.map(() => 600);
    } else if (internal) {
      const target = qtype === QTYPE.PTR ? this.ptrTarget(query) : this.hostsByName.get(query);
      if (target === undefined) rcode = RCODE.NXDOMAIN;
      else if (qtype === QTYPE.PTR) {
        answers = [target.name];
        ttls = [1200];
      } else if (qtype === QTYPE.A) {
        answers = [target.ip];
        ttls = [1200];
        addresses = answers;
      }
    } else {
      const resolution = this.domains.resolve(query);
      if (qtype === QTYPE.MX) {
        answers = [`mx.${registrableGuess(query)}`];
        ttls = [3600];
      } else if (qtype === QTYPE.A) {
        answers = resolution.answers;
        ttls = resolution.ttls;
        addresses = resolution.addresses;
      } else if (qtype === QTYPE.AAAA && resolution.ipv6 !== undefined) {
        answers = [resolution.ipv6];
        ttls = [resolution.ttls[resolution.ttls.length - 1]];
      } else if (qtype === QTYPE.AAAA && resolution.answers.length > 1) {
        // No IPv6: the CNAME chain still comes back, with no address at its end.
        answers = [resolution.answers[0]];
        ttls = [resolution.ttls[0]];
      }
    }
    const cacheMiss = !internal && dice.chance(CACHE_MISS_RATE);
    const rttMicros = cacheMiss ? dice.between(8000, 90000) : dice.between(150, 2500);
    const clientPort = this.port(host);
    out.push(
      ...dnsLookup({
        time,
        clientIp: host.ip,
        clientPort,
        resolverIp: resolver.ip,
        transactionId: dice.nextInt(65536),
        rttMicros,
        query,
        qtype,
        rcode,
        answers,
        ttls,
      }),
    );
    if (cacheMiss) {
      const upstream = PUBLIC_RESOLVERS[dice.nextInt(PUBLIC_RESOLVERS.length)];
      const bytes = query.length + 40;
      out.push(...udpExchange(time + 200, rttMicros - 1000, resolver.ip, this.port(resolver), upstream, 53, bytes, bytes + 16 * answers.length + 40));
    }
    return { rcode, addresses, answeredAt: time + rttMicros };
  }

  private ptrTarget(query: string): Host | undefined {
    const ip = query.slice(0, -'.in-addr.arpa'.length).split('.').reverse().join('.');
    return this.hostsByIp.get(ip);
  }

  /** PTR lookup of an address (analysts' tools, logging servers, Windows name resolution). */
  reverseLookup(host: Host, time: number, ip: string, out: DayRecord[]): void {
    this.lookup(host, time, reverseName(ip), QTYPE.PTR, out);
  }

  tcp(client: Host, serverIp: string, serverPort: number, time: number, durationMicros: number, sent: number, received: number, out: DayRecord[]): void {
    out.push(...tcpConnection({ time, durationMicros, clientIp: client.ip, clientPort: this.port(client), serverIp, serverPort, sentBytes: sent, receivedBytes: received }));
  }

  /** A connection from outside (a visitor, a mail sender, a prober) to a server: its port comes from the dice. */
  inbound(externalIp: string, server: Host, serverPort: number, time: number, durationMicros: number, sent: number, received: number, out: DayRecord[]): void {
    const clientPort = this.dice.between(32768, 65535);
    out.push(...tcpConnection({ time, durationMicros, clientIp: externalIp, clientPort, serverIp: server.ip, serverPort, sentBytes: sent, receivedBytes: received }));
  }

  udp(client: Host, serverIp: string, serverPort: number, time: number, durationMicros: number, sent: number, received: number, packets: number, out: DayRecord[]): void {
    out.push(...udpExchange(time, durationMicros, client.ip, this.port(client), serverIp, serverPort, sent, received, packets));
  }

  /**
   * Requests on one TCP connection through the web gateway: one proxy record per request and the two flows of
   * the connection carrying them all. Returns when the connection closed.
   */
  webConnection(client: Host, serverIp: string, serverPort: number, time: number, requests: readonly WebRequest[], out: DayRecord[]): number {
    const dice = this.dice;
    const clientPort = this.port(client);
    let t = time + dice.between(20000, 120000); // TCP and TLS handshakes
    let sent = 0;
    let received = 0;
    for (const request of requests) {
      const elapsedMillis = Math.max(1, Math.round(dice.logNormal(90, 0.9) + request.responseBytes / 4000));
      out.push(proxyRecord(request, t, client.ip, clientPort, serverIp, serverPort, elapsedMillis));
      sent += REQUEST_HEADER_BYTES + request.userAgent.length + request.requestBytes;
      received += 300 + request.responseBytes;
      t += elapsedMillis * 1000 + dice.between(1000, 60000);
    }
    // Keep-alive: the browser holds the connection open for a while after the last response.
    const closedAt = t + dice.between(1_000_000, 15_000_000);
    out.push(...tcpConnection({ time, durationMicros: closedAt - time, clientIp: client.ip, clientPort, serverIp, serverPort, sentBytes: sent, receivedBytes: received }));
    return closedAt;
  }

  /** A page request: mostly 200 HTML, some redirects and missing pages. */
  pageRequest(host: string, userAgent: string, referrer: string): WebRequest {
    const dice = this.dice;
    const draw = dice.next();
    const status = draw < 0.9 ? 200 : draw < 0.94 ? 302 : draw < 0.96 ? 301 : draw < 0.985 ? 404 : draw < 0.995 ? 403 : 500;
    const redirect = status === 301 || status === 302;
    return {
      method: dice.chance(0.06) ? 'POST' : 'GET',
      host,
      uri: this.pagePath(),
      referrer,
      userAgent,
      requestBytes: 0,
      responseBytes: redirect ? 0 : Math.round(dice.logNormal(status === 200 ? 32000 : 1800, 0.9)),
      status,
      mime: redirect ? '' : 'text/html',
    };
  }

  /** A sub-resource a page pulls in: script, style, image, font or JSON, mostly fresh, some revalidated. */
  assetRequest(host: string, userAgent: string, referrer: string): WebRequest {
    const dice = this.dice;
    const type = ASSET_TYPES[ASSET_TABLE.draw(dice)];
    const draw = dice.next();
    let status = draw < 0.8 ? 200 : draw < 0.95 ? 304 : draw < 0.98 ? 204 : 404;
    const extension = dice.pick(type.extensions);
    const uri =
      type.mime === 'application/json'
        ? `/api/${dice.pick(['v1', 'v2', 'v3'])}/${dice.pick(PATH_WORDS)}${dice.chance(0.5) ? `?id=${dice.nextInt(1000000)}` : ''}`
        : `/${dice.pick(['static', 'assets', 'dist', 'img', 'media'])}/${dice.pick(PATH_WORDS)}.${dice.text(HEX, 8)}${extension}`;
    // API calls are sometimes POSTs and sometimes CORS preflights (OPTIONS, answered 204 with no body).
    const api = type.mime === 'application/json';
    const preflight = api && dice.chance(0.08);
    const method = preflight ? 'OPTIONS' : api && dice.chance(0.3) ? 'POST' : 'GET';
    if (preflight) status = 204;
    const hasBody = status === 200;
    return {
      method,
      host,
      uri,
      referrer,
      userAgent,
      requestBytes: method === 'POST' ? Math.round(dice.logNormal(600, 1)) : 0,
      responseBytes: hasBody ? Math.max(20, Math.round(dice.logNormal(type.medianBytes, type.sigma))) : 0,
      status,
      mime: hasBody ? type.mime : '',
    };
  }

  private pagePath(): string {
    const dice = this.dice;
    const draw = dice.next();
    if (draw < 0.15) return '/';
    if (draw < 0.45) return `/${dice.pick(PATH_WORDS)}/${dice.pick(PATH_WORDS)}`;
    if (draw < 0.7) return `/${dice.pick(PATH_WORDS)}/${dice.pick(PATH_WORDS)}-${dice.pick(PATH_WORDS)}-${dice.between(1000, 999999)}.html`;
    if (draw < 0.85) return `/search?q=${dice.pick(PATH_WORDS)}+${dice.pick(PATH_WORDS)}`;
    return `/${dice.pick(PATH_WORDS)}?id=${dice.nextInt(100000)}&lang=en`;
  }
}
