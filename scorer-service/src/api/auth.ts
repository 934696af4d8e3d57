import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Bearer-token check in constant time. Both sides are hashed first so the comparison never leaks the token's
 * length either (timingSafeEqual needs equal lengths and would otherwise return early).
 */
export function tokenMatches(expected: string, authorization: string | undefined): boolean {
  if (!authorization) return false;
  const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  if (!match) return false;
  const given = createHash('sha256').update(match[1]).digest();
  const wanted = createHash('sha256').update(expected).digest();
  return timingSafeEqual(given, wanted);
}
