import { MmdbGeoLocator } from './mmdbGeoLocator';

describe('MmdbGeoLocator on the packaged GeoLite2 databases', () => {
  let locator: MmdbGeoLocator;
  beforeAll(async () => {
    locator = await MmdbGeoLocator.open();
  });

  it('locates a public IPv4 address with country, city and coordinates', () => {
    const geo = locator.locate('147.32.80.9');
    expect(geo).toMatchObject({ countryCode: 'CZ', country: 'Czechia' });
    expect(typeof geo?.lat).toBe('number');
  });

  it('locates IPv6 and gives nothing for private or malformed addresses', () => {
    expect(locator.locate('2001:4860:4860::8888')?.countryCode).toBe('US');
    expect(locator.locate('10.0.0.1')).toBeUndefined();
    expect(locator.locate('not-an-ip')).toBeUndefined();
  });
});
