/**
 * Shannon entropy in bits of the character distribution of a string (0 for the empty string), the measure Spot
 * uses for subdomains and URIs. Counted over UTF-16 code units; names and URIs are nearly always ASCII, so ASCII
 * is counted in a reused array and anything else in a map.
 */
const asciiCounts = new Int32Array(128);

export function stringEntropy(text: string): number {
  const length = text.length;
  if (length === 0) return 0;
  let other: Map<number, number> | undefined;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code < 128) asciiCounts[code]++;
    else {
      other ??= new Map();
      other.set(code, (other.get(code) ?? 0) + 1);
    }
  }
  let entropy = 0;
  // Read and clear in one sweep over the string so the scratch array is clean for the next call.
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code < 128) {
      const count = asciiCounts[code];
      if (count > 0) {
        const p = count / length;
        entropy -= p * Math.log2(p);
        asciiCounts[code] = 0;
      }
    }
  }
  if (other) {
    for (const count of other.values()) {
      const p = count / length;
      entropy -= p * Math.log2(p);
    }
  }
  return entropy;
}
