import fs from 'node:fs';
import { NetworkContext, parseNetworkContext } from '../../enrichment/networkContext';

/** Reads the user's network-context CSV; no file configured means no names. */
export function loadNetworkContext(file: string | undefined): NetworkContext {
  if (file === undefined) return NetworkContext.empty();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the network context ${file}: ${(error as Error).message}`);
  }
  return parseNetworkContext(text, file);
}
