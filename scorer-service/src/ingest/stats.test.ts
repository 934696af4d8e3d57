import { MinuteCounter, minuteDocuments, minuteOf, totalsDocument } from './stats';

const meta = { runId: 'run-1', dataType: 'flow' as const, format: 'nfdump-csv', sensor: 'edge-1' };

describe('ingest statistics', () => {
  it('puts a UTC timestamp in the minute it starts', () => {
    expect(minuteOf('2018-01-12T15:37:59.999Z')).toBe('2018-01-12T15:37:00.000Z');
    expect(minuteOf('2018-01-12T15:37:30.5+02:00')).toBe('2018-01-12T13:37:00.000Z');
    expect(minuteOf('yesterday')).toBe('invalid');
  });

  it('counts events per file and minute and derives indexed from duplicates and refusals', () => {
    const counter = new MinuteCounter();
    for (const ts of ['2018-01-12T15:37:01Z', '2018-01-12T15:37:02Z', '2018-01-12T15:38:00Z']) counter.event('a.csv', ts);
    counter.event('b.csv', '2018-01-12T15:37:03Z');
    counter.duplicate('a.csv', '2018-01-12T15:37:02Z');
    counter.rejected('a.csv', '2018-01-12T15:37:01Z');
    const docs = minuteDocuments(counter, meta);
    expect(docs).toHaveLength(3);
    const a37 = docs.find((d) => d.doc.ingest.file === 'a.csv' && d.doc['@timestamp'] === '2018-01-12T15:37:00.000Z')!;
    expect(a37.doc.ingest).toMatchObject({ kind: 'minute', read: 2, indexed: 0, duplicates: 1, rejected: 1, sensor: 'edge-1' });
  });

  it('keys a minute document by what it counts, so a re-run overwrites it', () => {
    const once = new MinuteCounter();
    once.event('a.csv', '2018-01-12T15:37:01Z');
    const again = new MinuteCounter();
    again.event('a.csv', '2018-01-12T15:37:59Z');
    expect(minuteDocuments(again, { ...meta, runId: 'run-2' })[0].id).toBe(minuteDocuments(once, meta)[0].id);
  });

  it('summarises a run with its rate', () => {
    const doc = totalsDocument('run', meta, {
      read: 10,
      indexed: 8,
      duplicates: 1,
      rejected: 1,
      files: 2,
      bytes: 100,
      seconds: 2,
      started: '2026-01-01T00:00:00.000Z',
      ended: '2026-01-01T00:00:02.000Z',
      status: 'completed',
    });
    expect(doc.doc.ingest).toMatchObject({ kind: 'run', records_per_second: 5, files: 2 });
    expect(doc.doc['@timestamp']).toBe('2026-01-01T00:00:02.000Z');
  });
});
