import { deadLetter, MAX_RAW_CHARS } from './pipeline';

const meta = { runId: 'run-1', dataType: 'dns' as const, format: 'pcap', sensor: 's' };

describe('dead letters', () => {
  it('keep file, record number, stage, reason and the raw text', () => {
    const letter = deadLetter(meta, { file: 'a.pcap', record: 12, format: 'pcap' }, 'decode', 'packet 12: no DNS layer', 'frame bytes');
    expect(letter.rejected).toEqual({
      data_type: 'dns',
      format: 'pcap',
      file: 'a.pcap',
      record: 12,
      stage: 'decode',
      reason: 'packet 12: no DNS layer',
      raw: 'frame bytes',
      raw_bytes: 11,
      raw_truncated: false,
    });
    expect(letter.ingest.run_id).toBe('run-1');
  });

  it('cut a huge raw text and say so, with its full size', () => {
    const huge = 'é'.repeat(MAX_RAW_CHARS + 10);
    const letter = deadLetter(meta, { file: 'a', record: 1, format: 'pcap' }, 'index', 'too big', huge);
    expect(letter.rejected.raw).toHaveLength(MAX_RAW_CHARS);
    expect(letter.rejected.raw_truncated).toBe(true);
    expect(letter.rejected.raw_bytes).toBe(Buffer.byteLength(huge));
  });
});
