import type { DataType } from '../../domain/events';
import { getDecoder } from '../registry';

export interface DecodeBenchResult {
  /** Every result the decoder gave: documents plus rejections. */
  records: number;
  rejected: number;
  /** Wall-clock seconds. */
  seconds: number;
  recordsPerSecond: number;
  /** CPU seconds this process used (all its threads): on a shared machine a steadier figure than wall time. */
  cpuSeconds: number;
  recordsPerCpuSecond: number;
  /** Peak resident memory of the process so far (it includes whatever ran before), in bytes. */
  peakRssBytes: number;
}

/**
 * Decode-only throughput: reads a file with a format's decoder and drops the documents, so that the figure
 * is the decoder's own ceiling (reading, gunzipping, splitting, validating, building documents).
 */
export async function benchDecode(file: string, format: string, dataType: DataType): Promise<DecodeBenchResult> {
  const decoder = getDecoder(format);
  let records = 0;
  let rejected = 0;
  const started = process.hrtime.bigint();
  const cpuStarted = process.cpuUsage();
  for await (const result of decoder.decode(file, dataType, { file })) {
    records++;
    if (!result.ok) rejected++;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuStarted);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return {
    records,
    rejected,
    seconds,
    recordsPerSecond: seconds > 0 ? records / seconds : 0,
    cpuSeconds,
    recordsPerCpuSecond: cpuSeconds > 0 ? records / cpuSeconds : 0,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}
