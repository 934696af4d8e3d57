import type { DataType } from '../../domain/events';
import type { DecodeContext, DecodeResult, Decoder } from '../decoder';

/** A decoder asked for a data type it cannot carry fails before reading anything. */
export function requireDataType(decoder: Decoder, dataType: DataType): void {
  if (!decoder.dataTypes.includes(dataType)) {
    throw new Error(`format ${decoder.format} carries ${decoder.dataTypes.join(', ')} events, not ${dataType}`);
  }
}

/** A Decoder whose `decode` first refuses data types the format cannot carry. */
export function defineDecoder(
  format: string,
  dataTypes: readonly DataType[],
  decode: (path: string, dataType: DataType, ctx: DecodeContext) => AsyncIterable<DecodeResult>,
): Decoder {
  const decoder: Decoder = {
    format,
    dataTypes,
    decode(path, dataType, ctx) {
      requireDataType(decoder, dataType);
      return decode(path, dataType, ctx);
    },
  };
  return decoder;
}
