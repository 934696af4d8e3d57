import { stat } from 'node:fs/promises';
import type { DecodeContext, DecodeResult } from '../decoder';
import { isGzipFile, splitLines } from '../lineReader';
import { describeToolExit, gunzipToTemporaryFile, startTool, toolFailed } from './childProcess';
import { rejection, decodeLines } from './lineDecoder';
import { NfdumpCsvParser } from './nfdumpCsv';
import { defineDecoder } from './support';

/**
 * nfcapd binary files, decoded by `nfdump -r FILE -o csv` and parsed by the nfdump-csv parser. nfdump runs
 * with TZ=UTC because it prints times in local time. The header it prints names the columns (so another
 * nfdump release's layout is still read right), and the summary it prints without `-q` is checked against
 * the flows read. Records are numbered by flow, in nfdump's output order.
 *
 * nfdump 1.7.1 reports a damaged file on stderr but still exits 0 (`Short read ...`), so any stderr counts
 * as a failure: nothing decoded -> the file is unreadable and decoding throws; failure after some flows ->
 * one final rejection says what nfdump reported, so the loss is counted instead of silent.
 */
async function* decodeNfcapd(path: string, ctx: DecodeContext): AsyncGenerator<DecodeResult> {
  const { size } = await stat(path);
  if (size === 0) return;
  const gunzipped = (await isGzipFile(path)) ? await gunzipToTemporaryFile(path) : undefined;
  if (gunzipped !== undefined && (await stat(gunzipped.path)).size === 0) {
    await gunzipped.cleanup();
    return;
  }
  const nfdump = startTool('nfdump', ['-r', gunzipped?.path ?? path, '-o', 'csv'], { env: { ...process.env, TZ: 'UTC' } });
  try {
    const parser = new NfdumpCsvParser(ctx.file, 'nfcapd');
    yield* decodeLines(path, ctx, parser, { lines: splitLines(nfdump.stdout), unit: 'flow', lineOffset: 1 });
    const exit = await nfdump.exit;
    ctx.onBytes?.(size);
    if (toolFailed(exit)) {
      if (parser.records === 0) throw new Error(`${ctx.file}: nfdump could not decode it: ${describeToolExit('nfdump', exit)}`);
      const next = parser.records + 1;
      yield rejection(next, `flow ${next}: decoding stopped after ${parser.records} flows: ${describeToolExit('nfdump', exit)}`, exit.stderr);
    } else if (parser.summaryFlows !== undefined && parser.summaryFlows !== parser.records) {
      const next = parser.records + 1;
      yield rejection(
        next,
        `flow ${next}: nfdump's summary counts ${parser.summaryFlows} flows but it printed ${parser.records}`,
        `nfdump -r ${ctx.file} -o csv`,
      );
    }
  } finally {
    nfdump.stop();
    await gunzipped?.cleanup();
  }
}

export const nfcapdDecoder = defineDecoder('nfcapd', ['flow'], (path, _dataType, ctx) => decodeNfcapd(path, ctx));
