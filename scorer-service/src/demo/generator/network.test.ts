import { PROVIDERS } from './catalog';
import { DomainCatalog, registrableGuess } from './domains';
import { ipv4ToNumber, isNonPublicIpv4, parseIpv4Range } from './ipv4';
import { buildNetwork, hostMix, SUBNETS, type Host } from './network';
import { Dice } from './random';
import { activityAt, officeLevel } from './rhythm';

describe('the simulated network', () => {
  const network = buildNetwork(300, Dice.derive(1, 'network'));
  const ranges = new Map(SUBNETS.map((s) => [s.name, parseIpv4Range(s.cidr)]));

  it('has the requested number of hosts, each inside its named subnet, with unique addresses and names', () => {
    expect(network.hosts.length).toBe(300);
    const mix = hostMix(300);
    expect(mix.servers + mix.dmz + mix.vpn + mix.hq + mix.branch).toBe(300);
    for (const host of network.hosts) {
      const range = ranges.get(host.subnet);
      const ip = ipv4ToNumber(host.ip);
      expect(range && ip >= range.first && ip < range.first + range.size).toBe(true);
      expect(ip & 255).toBeGreaterThan(1);
    }
    expect(new Set(network.hosts.map((h) => h.ip)).size).toBe(300);
    expect(new Set(network.hosts.map((h) => h.name)).size).toBe(300);
  });

  it('runs the services every enterprise has', () => {
    for (const duty of ['resolver', 'domain-controller', 'file-server', 'mail', 'intranet', 'database', 'backup', 'monitoring', 'web', 'mail-relay', 'vpn-gateway', 'ssh-bastion'] as const) {
      expect(network.servers[duty].length).toBeGreaterThan(0);
    }
    expect(network.servers.web[0].subnet).toBe('dmz');
    expect(network.servers.resolver.map((h) => h.name)).toEqual(['ns1.corp.example', 'ns2.corp.example']);
  });

  it('is the same for the same seed', () => {
    expect(buildNetwork(300, Dice.derive(1, 'network'))).toEqual(network);
    expect(buildNetwork(300, Dice.derive(2, 'network')).hosts.map((h) => h.activity)).not.toEqual(network.hosts.map((h) => h.activity));
  });

  it('refuses host counts it cannot lay out', () => {
    expect(() => hostMix(10)).toThrow(/hosts must be an integer from 30 to 5000/);
    expect(() => buildNetwork(6000, new Dice(1))).toThrow(/hosts must be/);
    expect(buildNetwork(5000, new Dice(1)).hosts.length).toBe(5000);
  });
});

describe('host rhythms', () => {
  const worker: Host = {
    index: 0, ip: '10.10.0.10', name: 'ws', subnet: 'workstations-hq', role: 'workstation', os: 'windows', browserAgent: '',
    activity: 1, dayStart: 8.5, dayEnd: 17.5, onOvernight: false, admin: false,
  };

  it('peaks in office hours, dips at lunch and stops at night', () => {
    expect(activityAt(worker, 10.5, false)).toBeGreaterThan(0.9);
    expect(activityAt(worker, 12.6, false)).toBeLessThan(0.7 * activityAt(worker, 10.5, false));
    expect(activityAt(worker, 3, false)).toBe(0);
    expect(activityAt({ ...worker, onOvernight: true }, 3, false)).toBeGreaterThan(0);
    expect(activityAt(worker, 10.5, true)).toBeLessThan(0.1 * activityAt(worker, 10.5, false));
    expect(officeLevel(20)).toBe(0);
  });

  it('keeps servers busy around the clock', () => {
    const server: Host = { ...worker, role: 'server', duty: 'general', dayStart: 0, dayEnd: 24 };
    expect(activityAt(server, 3, false)).toBeGreaterThan(0.4);
  });
});

describe('the domain catalog', () => {
  const catalog = new DomainCatalog(['google.com', 'spiegel.de', 'lemonde.fr', 'example.org', 'bücher.de']);

  it('resolves a name the same way every time, to public addresses', () => {
    const first = catalog.resolve('www.spiegel.de');
    expect(catalog.resolve('www.spiegel.de')).toEqual(first);
    expect(first.addresses.length).toBeGreaterThan(0);
    for (const ip of first.addresses) expect(isNonPublicIpv4(ipv4ToNumber(ip))).toBe(false);
  });

  it('keeps all names of a site with one provider', () => {
    expect(catalog.resolve('www.lemonde.fr').provider).toBe(catalog.resolve('img.lemonde.fr').provider);
    expect(registrableGuess('news.bbc.co.uk')).toBe('bbc.co.uk');
  });

  it('leaves out names that are not plain ASCII', () => {
    expect(catalog.sites).not.toContain('bücher.de');
  });

  it('draws only from public provider ranges', () => {
    for (const provider of PROVIDERS) {
      for (const cidr of provider.ranges) {
        const range = parseIpv4Range(cidr);
        expect([isNonPublicIpv4(range.first), isNonPublicIpv4(range.first + range.size - 1)]).toEqual([false, false]);
      }
    }
  });
});
