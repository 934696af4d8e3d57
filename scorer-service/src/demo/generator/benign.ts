import { PATH_WORDS, SOFTWARE_AGENTS, THIRD_PARTY_HOSTS } from './catalog';
import type { Host, Network, ServerDuty } from './network';
import { serverOf } from './network';
import { WeightedTable } from './random';
import { activityAt, isWorkingHour } from './rhythm';
import { MICROS_PER_SECOND, refusedConnection, udpExchange, type DayRecord, type WebRequest } from './records';
import { QTYPE, RCODE, TrafficKit } from './traffic';

/**
 * Normal work: what people's machines and the servers do in one session (a visit to a web site, a mail check,
 * opening a file share, a backup run, a monitoring poll, a visitor on the public web site). A session is a
 * handful to a few dozen records spread over seconds to minutes.
 */

type Activity = (kit: TrafficKit, host: Host, time: number, out: DayRecord[]) => void;

const SECOND = MICROS_PER_SECOND;
const MINUTE = 60 * SECOND;

/** Software services people's machines talk to all day (office suite, chat, sync, telemetry). */
const APP_ENDPOINTS: readonly { host: string; uri: string; method: string; mime: string; medianBytes: number }[] = [
  { host: 'outlook.office365.com', uri: '/EWS/Exchange.asmx', method: 'POST', mime: 'text/xml', medianBytes: 6000 },
  { host: 'graph.microsoft.com', uri: '/v1.0/me/messages', method: 'GET', mime: 'application/json', medianBytes: 9000 },
  { host: 'login.microsoftonline.com', uri: '/common/oauth2/v2.0/token', method: 'POST', mime: 'application/json', medianBytes: 4000 },
  { host: 'teams.microsoft.com', uri: '/api/chatsvc/emea/v1/users/ME/conversations', method: 'GET', mime: 'application/json', medianBytes: 12000 },
  { host: 'slack.com', uri: '/api/conversations.history', method: 'POST', mime: 'application/json', medianBytes: 8000 },
  { host: 'settings-win.data.microsoft.com', uri: '/settings/v3.0/wsd/muse', method: 'GET', mime: 'application/json', medianBytes: 1500 },
  { host: 'v10.events.data.microsoft.com', uri: '/OneCollector/1.0/', method: 'POST', mime: 'application/json', medianBytes: 300 },
  { host: 'ocsp.digicert.com', uri: '/MFEwTzBNMEswSTAJBgUrDgMCGgUABBQ', method: 'GET', mime: 'application/ocsp-response', medianBytes: 1400 },
  { host: 'api.github.com', uri: '/repos/acme/platform/pulls', method: 'GET', mime: 'application/json', medianBytes: 14000 },
  { host: 'www.dropbox.com', uri: '/2/files/list_folder', method: 'POST', mime: 'application/json', medianBytes: 3000 },
];

const UPDATE_SOURCES: Readonly<Record<'windows' | 'macos' | 'linux', { host: string; uri: () => string; mime: string }>> = {
  windows: { host: 'download.windowsupdate.com', uri: () => '/c/msdownload/update/software/secu/2024/05/windows10.0-kb5037768-x64.cab', mime: 'application/vnd.ms-cab-compressed' },
  macos: { host: 'swcdn.apple.com', uri: () => '/content/downloads/43/18/052-96238-A_7ZPW9CUBYH/macOSUpd14.5.pkg', mime: 'application/octet-stream' },
  linux: { host: 'deb.debian.org', uri: () => '/debian/dists/bookworm-updates/InRelease', mime: 'application/octet-stream' },
};

function softwareAgent(kit: TrafficKit, host: Host): string {
  return kit.dice.pick(SOFTWARE_AGENTS[host.os]);
}

// ---------------------------------------------------------------------------------------------- people

/**
 * A visit to a popular site: the lookup, a few pages, each with the scripts, styles and images it pulls in from
 * the site itself and from third-party hosts (tag managers, fonts, CDNs), every one of them looked up first.
 */
const browse: Activity = (kit, host, time, out) => {
  const { dice, domains } = kit;
  const site = domains.pickSite(dice);
  const name = domains.pickHostName(site, dice);
  if (dice.chance(0.3)) kit.lookup(host, time, name, QTYPE.AAAA, out);
  const answer = kit.lookup(host, time, name, QTYPE.A, out);
  if (answer.rcode !== RCODE.NOERROR || answer.addresses.length === 0) return;
  const server = answer.addresses[0];
  const port = dice.chance(0.88) ? 443 : 80;
  const origin = `${port === 443 ? 'https' : 'http'}://${name}`;
  let t = answer.answeredAt;
  const pages = dice.geometric(1.8);
  let referrer = dice.chance(0.4) ? 'https://www.google.com/' : '';
  for (let p = 0; p < pages; p++) {
    const page = kit.pageRequest(name, host.browserAgent, referrer);
    const pageUrl = `${origin}${page.uri}`;
    let end = kit.webConnection(host, server, port, t, [page], out);
    if (page.status === 200) {
      // The page's own assets come over a second connection once the HTML has arrived.
      const assets: WebRequest[] = [];
      const count = dice.geometric(4);
      for (let a = 0; a < count; a++) assets.push(kit.assetRequest(name, host.browserAgent, pageUrl));
      const assetsFrom = t + 150_000;
      end = Math.max(end, kit.webConnection(host, server, port, assetsFrom, assets, out));
      const thirdParties = dice.geometric(2.2) - 1;
      for (let i = 0; i < thirdParties; i++) {
        const other = dice.pick(THIRD_PARTY_HOSTS);
        const at = assetsFrom + dice.between(20_000, 400_000);
        if (dice.chance(0.3)) kit.lookup(host, at, other, QTYPE.AAAA, out);
        const found = kit.lookup(host, at, other, QTYPE.A, out);
        if (found.addresses.length === 0) continue;
        const requests: WebRequest[] = [];
        const fetches = dice.geometric(1.6);
        for (let f = 0; f < fetches; f++) requests.push(kit.assetRequest(other, host.browserAgent, pageUrl));
        end = Math.max(end, kit.webConnection(host, found.addresses[0], 443, found.answeredAt, requests, out));
      }
    }
    referrer = pageUrl;
    t = end + Math.round(dice.exponential(25) * SECOND);
  }
};

/** Background calls of installed software: mail client sync, chat, telemetry, certificate checks. */
const appTraffic: Activity = (kit, host, time, out) => {
  const { dice } = kit;
  const endpoint = dice.pick(APP_ENDPOINTS);
  const answer = kit.lookup(host, time, endpoint.host, QTYPE.A, out);
  if (answer.addresses.length === 0) return;
  const calls = dice.geometric(2);
  const requests: WebRequest[] = [];
  for (let i = 0; i < calls; i++) {
    requests.push({
      method: endpoint.method,
      host: endpoint.host,
      uri: endpoint.uri,
      referrer: '',
      userAgent: softwareAgent(kit, host),
      requestBytes: endpoint.method === 'POST' ? Math.round(dice.logNormal(900, 0.8)) : 0,
      responseBytes: Math.round(dice.logNormal(endpoint.medianBytes, 0.7)),
      status: dice.chance(0.97) ? 200 : 401,
      mime: endpoint.mime,
    });
  }
  kit.webConnection(host, answer.addresses[0], 443, answer.answeredAt, requests, out);
};

const mail: Activity = (kit, host, time, out) => {
  const { dice } = kit;
  const server = serverOf(kit.network, 'mail');
  kit.tcp(host, server.ip, dice.chance(0.7) ? 993 : 443, time, Math.round(dice.logNormal(4, 1) * SECOND), Math.round(dice.logNormal(2500, 0.8)), Math.round(dice.logNormal(40000, 1.4)), out);
  if (dice.chance(0.2)) {
    kit.tcp(host, server.ip, 587, time + 2 * SECOND, Math.round(dice.logNormal(1.5, 0.6) * SECOND), Math.round(dice.logNormal(30000, 1.5)), 1200, out);
  }
};

/** Opening and saving documents on a file share, with the Kerberos ticket it sometimes needs first. */
const fileShare: Activity = (kit, host, time, out) => {
  const { dice, network } = kit;
  const server = dice.pick(network.servers['file-server']);
  let t = time;
  if (dice.chance(0.3)) {
    const answer = kit.lookup(host, t, server.name, QTYPE.A, out);
    t = answer.answeredAt;
  }
  if (dice.chance(0.3)) {
    const dc = dice.pick(network.servers['domain-controller']);
    kit.tcp(host, dc.ip, 88, t, dice.between(3000, 20000), 1600, 1500, out);
    t += 25000;
  }
  const writing = dice.chance(0.25);
  const document = Math.round(dice.logNormal(250000, 1.8));
  kit.tcp(host, server.ip, 445, t, Math.round(dice.logNormal(8, 1.2) * SECOND), writing ? document : Math.round(dice.logNormal(6000, 1)), writing ? Math.round(dice.logNormal(6000, 1)) : document, out);
};

/** Directory traffic of a domain-joined machine: SRV lookups, Kerberos, LDAP, group-policy reads. */
const directory: Activity = (kit, host, time, out) => {
  const { dice, network } = kit;
  const dc = dice.pick(network.servers['domain-controller']);
  let t = time;
  if (dice.chance(0.4)) t = kit.lookup(host, t, `_ldap._tcp.dc._msdcs.${network.domain}`, QTYPE.SRV, out).answeredAt;
  if (dice.chance(0.6)) {
    kit.udp(host, dc.ip, 88, t, dice.between(1000, 9000), 1400, 1450, 1, out);
    t += 10000;
  }
  kit.tcp(host, dc.ip, 389, t, Math.round(dice.logNormal(0.4, 1) * SECOND), Math.round(dice.logNormal(1500, 0.7)), Math.round(dice.logNormal(6000, 1)), out);
  if (dice.chance(0.25)) kit.tcp(host, dc.ip, 445, t + 50000, Math.round(dice.logNormal(2, 0.8) * SECOND), 4000, Math.round(dice.logNormal(60000, 1.2)), out);
  if (dice.chance(0.15)) kit.tcp(host, dc.ip, 135, t + 80000, dice.between(5000, 60000), 1100, 800, out);
};

const intranet: Activity = (kit, host, time, out) => {
  const { dice } = kit;
  const server = serverOf(kit.network, 'intranet');
  const answer = kit.lookup(host, time, server.name, QTYPE.A, out);
  const pages = dice.geometric(3);
  let t = answer.answeredAt;
  for (let i = 0; i < pages; i++) {
    kit.tcp(host, server.ip, 443, t, Math.round(dice.logNormal(3, 0.8) * SECOND), Math.round(dice.logNormal(1800, 0.8)), Math.round(dice.logNormal(90000, 1.1)), out);
    t += Math.round(dice.exponential(40) * SECOND);
  }
};

/** Operating-system and software updates: large downloads from the vendor's content network. */
const update: Activity = (kit, host, time, out) => {
  const { dice } = kit;
  const source = UPDATE_SOURCES[host.os];
  const answer = kit.lookup(host, time, source.host, QTYPE.A, out);
  if (answer.addresses.length === 0) return;
  const large = host.os !== 'linux' && dice.chance(0.4);
  // Update agents often ask with HEAD first whether the file changed.
  const request: WebRequest = {
    method: dice.chance(0.2) ? 'HEAD' : 'GET',
    host: source.host,
    uri: source.uri(),
    referrer: '',
    userAgent: softwareAgent(kit, host),
    requestBytes: 0,
    responseBytes: large ? Math.round(dice.logNormal(12_000_000, 1)) : Math.round(dice.logNormal(40000, 1)),
    status: dice.chance(0.8) ? 200 : 304,
    mime: source.mime,
  };
  if (request.status === 304 || request.method === 'HEAD') {
    request.responseBytes = 0;
    request.mime = '';
  }
  kit.webConnection(host, answer.addresses[0], 80, answer.answeredAt, [request], out);
};

/** A video call: long UDP media flows both ways to the conferencing provider. */
const videoCall: Activity = (kit, host, time, out) => {
  const { dice } = kit;
  const answer = kit.lookup(host, time, 'teams.microsoft.com', QTYPE.A, out);
  if (answer.addresses.length === 0) return;
  const minutes = Math.min(90, dice.logNormal(25, 0.6));
  const bytes = Math.round(minutes * 60 * dice.uniform(100_000, 250_000));
  const packets = Math.round(bytes / 1100);
  const duration = Math.round(minutes * MINUTE);
  kit.udp(host, kit.domains.addressOf('microsoft', dice.nextUint32()), 3478 + dice.nextInt(4), answer.answeredAt, duration, bytes, Math.round(bytes * dice.uniform(0.8, 1.4)), packets, out);
};

const timeSync: Activity = (kit, host, time, out) => {
  const dc = kit.network.servers['domain-controller'][host.index % kit.network.servers['domain-controller'].length];
  kit.udp(host, dc.ip, 123, time, kit.dice.between(300, 3000), 48, 48, 1, out);
};

/** An administrator's SSH session to a Linux server or RDP session to a Windows one. */
const administration: Activity = (kit, host, time, out) => {
  const { dice } = kit;
  if (!host.admin) return browse(kit, host, time, out);
  const server = dice.pick(kit.managedHosts);
  const answer = kit.lookup(host, time, server.name, QTYPE.A, out);
  const minutes = dice.logNormal(12, 1);
  if (server.os === 'linux') {
    kit.tcp(host, server.ip, 22, answer.answeredAt, Math.round(minutes * MINUTE), Math.round(minutes * dice.uniform(2000, 9000)), Math.round(minutes * dice.uniform(20000, 90000)), out);
  } else {
    kit.tcp(host, server.ip, 3389, answer.answeredAt, Math.round(minutes * MINUTE), Math.round(minutes * 60000), Math.round(minutes * 900000), out);
  }
};

/** Lookups that lead nowhere or nowhere external: proxy auto-discovery, search suffixes, typos, reverse lookups. */
const strayLookups: Activity = (kit, host, time, out) => {
  const { dice, network, domains } = kit;
  const draw = dice.next();
  if (draw < 0.3) kit.lookup(host, time, `wpad.${network.domain}`, QTYPE.A, out);
  else if (draw < 0.55) kit.lookup(host, time, `${domains.pickSite(dice)}.${network.domain}`, QTYPE.A, out);
  else if (draw < 0.7) {
    const site = domains.pickSite(dice);
    const at = dice.nextInt(site.indexOf('.') > 0 ? site.indexOf('.') : 1);
    kit.lookup(host, time, `${site.slice(0, at)}${site.slice(at + 1)}`, QTYPE.A, out, RCODE.NXDOMAIN);
  } else if (draw < 0.9) kit.reverseLookup(host, time, dice.pick(network.hosts).ip, out);
  else kit.lookup(host, time, dice.pick(network.hosts).name, QTYPE.A, out);
};

// ---------------------------------------------------------------------------------------------- servers

/** A server's own upkeep: time sync, package or update checks through the gateway. */
const serverUpkeep: Activity = (kit, host, time, out) => {
  const { dice } = kit;
  if (dice.chance(0.4)) return timeSync(kit, host, time, out);
  if (host.os === 'linux') {
    const mirror = dice.chance(0.7) ? 'deb.debian.org' : 'security.debian.org';
    const answer = kit.lookup(host, time, mirror, QTYPE.A, out);
    if (answer.addresses.length === 0) return;
    const changed = dice.chance(0.2);
    kit.webConnection(host, answer.addresses[0], 80, answer.answeredAt, [{
      method: 'GET',
      host: mirror,
      uri: mirror === 'deb.debian.org' ? '/debian/dists/bookworm/InRelease' : '/debian-security/dists/bookworm-security/InRelease',
      referrer: '',
      userAgent: 'Debian APT-HTTP/1.3 (2.6.1)',
      requestBytes: 0,
      responseBytes: changed ? Math.round(dice.logNormal(50000, 0.5)) : 0,
      status: changed ? 200 : 304,
      mime: changed ? 'application/octet-stream' : '',
    }], out);
    return;
  }
  appTraffic(kit, host, time, out);
};

/** Application servers query the database and call outside APIs. */
const applicationWork: Activity = (kit, host, time, out) => {
  const { dice, network } = kit;
  const database = serverOf(network, 'database');
  const queries = dice.geometric(3);
  for (let i = 0; i < queries; i++) {
    kit.tcp(host, database.ip, 5432, time + i * dice.between(5000, 400000), Math.round(dice.logNormal(0.08, 1) * SECOND), Math.round(dice.logNormal(900, 0.8)), Math.round(dice.logNormal(7000, 1.3)), out);
  }
  if (dice.chance(0.15)) {
    const api = dice.pick(['api.stripe.com', 'api.github.com', 'hooks.slack.com', 'api.sendgrid.com']);
    const answer = kit.lookup(host, time, api, QTYPE.A, out);
    if (answer.addresses.length === 0) return;
    kit.webConnection(host, answer.addresses[0], 443, answer.answeredAt, [{
      method: 'POST', host: api, uri: `/v1/${dice.pick(PATH_WORDS)}`, referrer: '', userAgent: 'python-requests/2.31.0',
      requestBytes: Math.round(dice.logNormal(1200, 0.7)), responseBytes: Math.round(dice.logNormal(800, 0.6)), status: 200, mime: 'application/json',
    }], out);
  }
};

/** Mail between the internal server, the relay in the DMZ and mail exchangers outside. */
const mailFlow: Activity = (kit, host, time, out) => {
  const { dice, network, domains } = kit;
  const relay = serverOf(network, 'mail-relay');
  const internalServer = serverOf(network, 'mail');
  const size = Math.round(dice.logNormal(30000, 1.6));
  if (host.duty === 'mail' || dice.chance(0.5)) {
    // Outbound: internal server to the relay, the relay looks up the recipient's MX and delivers.
    kit.tcp(internalServer, relay.ip, 25, time, dice.between(200000, 2000000), size, 900, out);
    const site = domains.pickSite(dice);
    const mx = kit.lookup(relay, time + 500000, site, QTYPE.MX, out);
    kit.tcp(relay, domains.addressOf(dice.pick(['google', 'microsoft', 'amazon-us-east']), dice.nextUint32()), 25, mx.answeredAt, dice.between(300000, 3000000), size, 1100, out);
  } else {
    // Inbound: a sender's exchanger delivers to the relay, which hands over to the internal server.
    const sender = domains.addressOf(dice.pick(['google', 'microsoft', 'amazon-us-east', 'ovh', 'hetzner']), dice.nextUint32());
    kit.inbound(sender, relay, 25, time, dice.between(300000, 3000000), size, 1100, out);
    kit.tcp(relay, internalServer.ip, 25, time + 4 * SECOND, dice.between(200000, 2000000), size, 900, out);
  }
};

/** The nightly backup pulls data from every server over SSH; by day it only checks in. */
const backupRun: Activity = (kit, host, time, out) => {
  const { dice } = kit;
  const source = dice.pick(kit.dataCentreHosts);
  if (source === host) return;
  const hour = (time / (3600 * SECOND)) % 24;
  const night = hour < 4;
  const bytes = Math.round(dice.logNormal(night ? 400_000_000 : 2_000_000, 1));
  kit.tcp(host, source.ip, 22, time, Math.round((bytes / 40_000_000 + dice.uniform(1, 20)) * SECOND), Math.round(bytes / 60), bytes, out);
};

/** The monitoring server polls every server: SNMP over UDP and metrics scrapes over HTTP. */
const monitoringPoll: Activity = (kit, host, time, out) => {
  const { dice } = kit;
  const targets = kit.managedHosts;
  const polls = dice.between(3, 8);
  for (let i = 0; i < polls; i++) {
    const target = dice.pick(targets);
    const t = time + i * dice.between(10000, 200000);
    if (dice.chance(0.5)) kit.udp(host, target.ip, 161, t, dice.between(500, 5000), 90, dice.between(300, 1400), 1, out);
    else kit.tcp(host, target.ip, 9100, t, dice.between(5000, 80000), 250, Math.round(dice.logNormal(40000, 0.4)), out);
  }
};

const domainControllerWork: Activity = (kit, host, time, out) => {
  const { dice, network, domains } = kit;
  const peer = network.servers['domain-controller'].find((dc) => dc !== host);
  if (peer && dice.chance(0.6)) {
    kit.tcp(host, peer.ip, 135, time, dice.between(2000, 20000), 900, 700, out);
    kit.tcp(host, peer.ip, dice.between(49152, 65535), time + 30000, dice.between(100000, 3000000), Math.round(dice.logNormal(20000, 1)), Math.round(dice.logNormal(20000, 1)), out);
    return;
  }
  // The domain's time source follows public NTP servers.
  kit.udp(host, domains.addressOf(dice.pick(['hetzner', 'ovh', 'linode', 'digitalocean-ams']), dice.nextUint32()), 123, time, dice.between(8000, 60000), 48, 48, 1, out);
};

// ---------------------------------------------------------------------------------------------- DMZ

/** A visitor on the public web site, from an access network somewhere in the world. */
const webVisitor: Activity = (kit, host, time, out) => {
  const { dice, domains } = kit;
  const isp = dice.pick(['comcast', 'comcast', 'deutsche-telekom', 'orange', 'bt', 'rogers', 'telstra', 'kt', 'jio', 'claro-br', 'telkom-za', 'vnpt', 'turk-telekom', 'mtn-ng']);
  const crawler = dice.chance(0.1);
  const visitor = crawler ? domains.addressOf(dice.pick(['google', 'microsoft', 'amazon-us-east']), dice.nextUint32()) : domains.addressOf(isp, dice.nextUint32());
  const connections = dice.geometric(2);
  for (let c = 0; c < connections; c++) {
    const port = dice.chance(0.93) ? 443 : 80;
    kit.inbound(visitor, host, port, time + c * dice.between(50000, 20_000_000), Math.round(dice.logNormal(6, 1) * SECOND), Math.round(dice.logNormal(2500, 0.8)), port === 80 ? 600 : Math.round(dice.logNormal(300000, 1.2)), out);
  }
};

/** Remote staff keep an IPsec tunnel to the VPN gateway: long UDP flows from their home connections. */
const vpnTunnel: Activity = (kit, host, time, out) => {
  const { dice, domains } = kit;
  if (kit.remoteWorkers.length === 0) return;
  const remote = dice.pick(kit.remoteWorkers);
  // A remote worker's home address stays the same all day: derived from the worker, not from the dice.
  const home = domains.addressOf(['comcast', 'deutsche-telekom', 'orange', 'bt', 'rogers'][remote.index % 5], remote.index * 7919 + 17);
  const minutes = dice.logNormal(20, 0.8);
  const bytes = Math.round(minutes * dice.uniform(200_000, 2_000_000));
  out.push(...udpExchange(time, Math.round(minutes * MINUTE), home, 4500, host.ip, 4500, Math.round(bytes * 0.3), bytes, Math.round(bytes / 900)));
};

/**
 * The bastion: a few administrators log in from home; the rest is the internet's background radiation, single
 * probes on well-known ports from everywhere, that every public address receives.
 */
const bastionTraffic: Activity = (kit, host, time, out) => {
  const { dice, domains } = kit;
  if (dice.chance(0.15)) {
    const home = domains.addressOf(dice.pick(['comcast', 'deutsche-telekom', 'bt']), dice.nextInt(4));
    const minutes = dice.logNormal(15, 0.9);
    kit.inbound(home, host, 22, time, Math.round(minutes * MINUTE), Math.round(minutes * 4000), Math.round(minutes * 50000), out);
    return;
  }
  const prober = domains.addressOf(dice.pick(['chinatelecom-jiangsu', 'digitalocean-ams', 'digitalocean-sgp', 'linode', 'ovh', 'vnpt', 'beeline', 'kyivstar', 'hetzner']), dice.nextUint32());
  const target = dice.pick(kit.dmzHosts);
  const port = dice.pick([22, 23, 80, 443, 445, 3389, 8080, 5900, 1433, 3306]);
  const open = (target === host && port === 22) || (target.duty === 'web' && (port === 80 || port === 443));
  if (open) kit.inbound(prober, target, port, time, dice.between(100000, 3000000), 300, 600, out);
  else out.push(...refusedConnection(time, prober, dice.between(32768, 65535), target.ip, port, dice.chance(0.3)));
};

// ---------------------------------------------------------------------------------------------- who does what

interface ActivityMix {
  activities: readonly Activity[];
  table: WeightedTable;
}

function mixOf(entries: readonly [Activity, number][]): ActivityMix {
  return { activities: entries.map(([activity]) => activity), table: new WeightedTable(entries.map(([, weight]) => weight)) };
}

/** What a person's machine does in working hours: mostly the web and the software that lives on it. */
const WORKING_MIX = mixOf([
  [browse, 40],
  [appTraffic, 14],
  [mail, 7],
  [fileShare, 9],
  [directory, 8],
  [intranet, 6],
  [update, 2],
  [videoCall, 1.5],
  [timeSync, 2],
  [administration, 3],
  [strayLookups, 6],
]);

/** What a machine left on does when nobody is at it. */
const IDLE_MIX = mixOf([
  [appTraffic, 5],
  [update, 3],
  [timeSync, 3],
  [directory, 2],
  [strayLookups, 2],
]);

const DUTY_MIX: Readonly<Record<ServerDuty, ActivityMix>> = {
  resolver: mixOf([[serverUpkeep, 1]]),
  'domain-controller': mixOf([[domainControllerWork, 3], [serverUpkeep, 1]]),
  'file-server': mixOf([[serverUpkeep, 1]]),
  mail: mixOf([[mailFlow, 4], [serverUpkeep, 1]]),
  intranet: mixOf([[applicationWork, 3], [serverUpkeep, 1]]),
  database: mixOf([[serverUpkeep, 1]]),
  app: mixOf([[applicationWork, 5], [serverUpkeep, 1]]),
  backup: mixOf([[backupRun, 5], [serverUpkeep, 1]]),
  monitoring: mixOf([[monitoringPoll, 6], [serverUpkeep, 1]]),
  general: mixOf([[applicationWork, 2], [serverUpkeep, 2]]),
  web: mixOf([[webVisitor, 1]]),
  'mail-relay': mixOf([[mailFlow, 1]]),
  'vpn-gateway': mixOf([[vpnTunnel, 1]]),
  'ssh-bastion': mixOf([[bastionTraffic, 1]]),
};

/** Sessions a server of each duty starts, relative to one person's machine at its busiest. */
function dutyWeight(network: Network, duty: ServerDuty, hour: number): number {
  switch (duty) {
    case 'web':
      return Math.max(2, network.clients.length * 0.03);
    case 'vpn-gateway':
      return Math.max(0.5, network.clients.length * 0.004);
    case 'backup':
      return hour >= 1 && hour < 4 ? 6 : 0.3;
    case 'monitoring':
      return 4;
    case 'app':
      return 3;
    case 'mail':
    case 'domain-controller':
    case 'ssh-bastion':
      return 1.5;
    case 'mail-relay':
    case 'intranet':
      return 1;
    default:
      return 0.4;
  }
}

/** Relative chance that the next session at `hour` is started by `host`. */
export function sessionWeight(network: Network, host: Host, hour: number, weekend: boolean): number {
  const level = activityAt(host, hour, weekend);
  return host.duty === undefined ? level : level * dutyWeight(network, host.duty, hour);
}

/** Runs one session of `host` starting at `time`, appending its records to `out`. */
export function runSession(kit: TrafficKit, host: Host, time: number, hour: number, out: DayRecord[]): void {
  const mix = host.duty !== undefined ? DUTY_MIX[host.duty] : isWorkingHour(host, hour) ? WORKING_MIX : IDLE_MIX;
  mix.activities[mix.table.draw(kit.dice)](kit, host, time, out);
}
