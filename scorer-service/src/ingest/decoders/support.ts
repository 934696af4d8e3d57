import type { DataType } from '../../domain/events';
import type { Decoder } from '../decoder';

/** A decoder asked for a data type it cannot carry fails before reading anything. */
export function requireDataType(decoder: Decoder, dataType: DataType): void {
  if (!decoder.dataTypes.includes(dataType)) {
    throw new Error(
      `format ${decoder.format} carries ${decoder.dataTypes.join(', ')} events, not ${dataType}`,
    );
  }
}
