import { STATUS_CODES } from 'node:http';

/**
 * IANA names for the codes suspicious events carry (Spot's `dns-qtype.csv`, `dns-rcode.csv`, `http-rcode.csv`).
 * An unknown code reads `Unknown (<code>)`, as in Spot, so the table never hides that a value was there.
 */

const DNS_QTYPES: Record<number, string> = {
  1: 'A', 2: 'NS', 3: 'MD', 4: 'MF', 5: 'CNAME', 6: 'SOA', 7: 'MB', 8: 'MG', 9: 'MR', 10: 'NULL', 11: 'WKS',
  12: 'PTR', 13: 'HINFO', 14: 'MINFO', 15: 'MX', 16: 'TXT', 17: 'RP', 18: 'AFSDB', 19: 'X25', 20: 'ISDN', 21: 'RT',
  22: 'NSAP', 23: 'NSAP-PTR', 24: 'SIG', 25: 'KEY', 26: 'PX', 27: 'GPOS', 28: 'AAAA', 29: 'LOC', 30: 'NXT', 31: 'EID',
  32: 'NIMLOC', 33: 'SRV', 34: 'ATMA', 35: 'NAPTR', 36: 'KX', 37: 'CERT', 38: 'A6', 39: 'DNAME', 40: 'SINK', 41: 'OPT',
  42: 'APL', 43: 'DS', 44: 'SSHFP', 45: 'IPSECKEY', 46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 49: 'DHCID', 50: 'NSEC3',
  51: 'NSEC3PARAM', 52: 'TLSA', 53: 'SMIMEA', 55: 'HIP', 59: 'CDS', 60: 'CDNSKEY', 61: 'OPENPGPKEY', 62: 'CSYNC',
  63: 'ZONEMD', 64: 'SVCB', 65: 'HTTPS', 99: 'SPF', 108: 'EUI48', 109: 'EUI64', 249: 'TKEY', 250: 'TSIG', 251: 'IXFR',
  252: 'AXFR', 253: 'MAILB', 254: 'MAILA', 255: 'ANY', 256: 'URI', 257: 'CAA', 32768: 'TA', 32769: 'DLV',
};

const DNS_RCODES: Record<number, string> = {
  0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED', 6: 'YXDOMAIN', 7: 'YXRRSET',
  8: 'NXRRSET', 9: 'NOTAUTH', 10: 'NOTZONE', 11: 'DSOTYPENI', 16: 'BADVERS', 17: 'BADKEY', 18: 'BADTIME',
  19: 'BADMODE', 20: 'BADNAME', 21: 'BADALG', 22: 'BADTRUNC', 23: 'BADCOOKIE',
};

const QTYPE_CODES = new Map(Object.entries(DNS_QTYPES).map(([code, name]) => [name, Number(code)]));
const RCODE_CODES = new Map(Object.entries(DNS_RCODES).map(([code, name]) => [name, Number(code)]));

function unknown(code: number): string {
  return `Unknown (${code})`;
}

export function dnsQtypeName(code: number): string {
  return DNS_QTYPES[code] ?? unknown(code);
}

export function dnsRcodeName(code: number): string {
  return DNS_RCODES[code] ?? unknown(code);
}

export function httpStatusName(code: number): string {
  return STATUS_CODES[code] ?? unknown(code);
}

/**
 * A DNS code and its name from whatever the event kept: the numeric code, or only the mnemonic
 * (`A`, `TYPE65`, `NXDOMAIN`). Undefined when neither is there.
 */
export function dnsCode(kind: 'qtype' | 'rcode', code: number | undefined, mnemonic: string | undefined): { code?: number; name: string } | undefined {
  const nameOf = kind === 'qtype' ? dnsQtypeName : dnsRcodeName;
  if (typeof code === 'number' && Number.isInteger(code)) return { code, name: nameOf(code) };
  const text = mnemonic?.trim().toUpperCase();
  if (!text) return undefined;
  const known = (kind === 'qtype' ? QTYPE_CODES : RCODE_CODES).get(text);
  if (known !== undefined) return { code: known, name: text };
  const generic = /^(?:TYPE|RCODE)?(\d+)$/.exec(text);
  if (generic) return dnsCode(kind, Number(generic[1]), undefined);
  return { name: text };
}
