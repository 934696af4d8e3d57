import type { Anchor, DataType } from '../../api/types';

const IPV4 = /^(\d{1,3})(\.\d{1,3}){3}$/;
const IPV6 = /^[0-9a-f:.]+$/i;

/**
 * What an analyst typed, as the one anchor the API expects: an address is an `ip` for every data type, a URL is a
 * `uri` for proxy, anything else a `domain`. Blank input anchors nothing.
 */
export function anchorFor(dataType: DataType, text: string): Anchor | undefined {
  const value = text.trim();
  if (value === '') {
    return undefined;
  }
  if (IPV4.test(value) || (value.includes(':') && IPV6.test(value))) {
    return { ip: value };
  }
  if (dataType === 'proxy' && /^[a-z]+:\/\//i.test(value)) {
    return { uri: value };
  }
  return { domain: value };
}

export function anchorText(anchor: { ip?: string; domain?: string; uri?: string }): string {
  return anchor.ip ?? anchor.domain ?? anchor.uri ?? '';
}
