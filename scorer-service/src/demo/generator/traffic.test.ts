import { BUILT_IN_TOP_DOMAINS } from './catalog';
import { DomainCatalog } from './domains';
import { buildNetwork } from './network';
import { Dice } from './random';
import type { DayRecord, DnsRecord, FlowRecord } from './records';
import { QTYPE, RCODE, TrafficKit } from './traffic';

describe('lookups through the internal resolvers', () => {
  const network = buildNetwork(60, Dice.derive(1, 'network'));
  const kit = new TrafficKit(network, new DomainCatalog(BUILT_IN_TOP_DOMAINS), new Dice(9));
  const client = network.clients[0];
  const T = Date.parse('2025-03-11T10:00:00Z') * 1000;
  const ask = (query: string, qtype: number) => {
    const out: DayRecord[] = [];
    const result = kit.lookup(client, T, query, qtype, out);
    return { result, dns: out.find((r): r is DnsRecord => r.kind === 'dns') as DnsRecord, flows: out.filter((r): r is FlowRecord => r.kind === 'flow') };
  };

  it('answers internal names from the directory and the domain-controller locator with the DCs', () => {
    const fileServer = network.servers['file-server'][0];
    expect(ask(fileServer.name, QTYPE.A).dns.answers).toEqual([fileServer.ip]);
    expect(ask(`_ldap._tcp.dc._msdcs.${network.domain}`, QTYPE.SRV).dns.answers).toEqual(['dc01.corp.example', 'dc02.corp.example']);
    expect(ask(`wpad.${network.domain}`, QTYPE.A).result.rcode).toBe(RCODE.NXDOMAIN);
    expect(ask(`10.0.1.10.in-addr.arpa`, QTYPE.PTR).dns.answers).toEqual(['ns1.corp.example']);
  });

  it('answers outside names from the catalog: addresses for A, an exchanger for MX', () => {
    const a = ask('www.wikipedia.org', QTYPE.A);
    expect(a.result.addresses.length).toBeGreaterThan(0);
    expect(a.dns.resolverIp).toBe(kit.resolverFor(client).ip);
    expect(ask('wikipedia.org', QTYPE.MX).dns.answers).toEqual(['mx.wikipedia.org']);
  });

  it('shows each lookup as two UDP flows to port 53, and a cache miss as two more from the resolver', () => {
    const counts = new Set<number>();
    for (let i = 0; i < 40; i++) {
      const { flows } = ask('www.github.com', QTYPE.A);
      counts.add(flows.length);
      expect(flows.slice(0, 2).map((f) => [f.sourceIp, f.destinationPort === 53 || f.sourcePort === 53])).toEqual([[client.ip, true], [kit.resolverFor(client).ip, true]]);
    }
    expect(counts).toEqual(new Set([2, 4]));
  });
});
