import type { Decoder } from './decoder';
import { argusDecoder } from './decoders/argus';
import { bluecoatDecoder } from './decoders/bluecoat';
import { cicflowmeterDecoder } from './decoders/cicflowmeter';
import { ecsJsonDecoder } from './decoders/ecsJson';
import { nfcapdDecoder } from './decoders/nfcapd';
import { nfdumpCsvDecoder } from './decoders/nfdumpCsv';
import { pcapDecoder } from './decoders/pcap';
import { squidDecoder } from './decoders/squid';
import { zeekDecoder } from './decoders/zeek';

const DECODERS: readonly Decoder[] = [
  nfcapdDecoder,
  nfdumpCsvDecoder,
  zeekDecoder,
  cicflowmeterDecoder,
  argusDecoder,
  pcapDecoder,
  squidDecoder,
  bluecoatDecoder,
  ecsJsonDecoder,
];

const BY_FORMAT = new Map(DECODERS.map((decoder) => [decoder.format, decoder]));

/** Format names accepted by `--format`, in the order the help lists them. */
export const FORMATS: readonly string[] = DECODERS.map((decoder) => decoder.format);

/** The decoder of a `--format` name; an unknown name fails with the list of known ones. */
export function getDecoder(format: string): Decoder {
  const decoder = BY_FORMAT.get(format);
  if (!decoder) throw new Error(`unknown format "${format}"; known formats: ${FORMATS.join(', ')}`);
  return decoder;
}
