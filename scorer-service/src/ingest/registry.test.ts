import { FORMATS, getDecoder } from './registry';

describe('decoder registry', () => {
  it('finds the decoder of every listed format under its own name', () => {
    for (const format of FORMATS) expect(getDecoder(format).format).toBe(format);
  });

  it('names the known formats when asked for an unknown one', () => {
    expect(() => getDecoder('netflow-v9')).toThrow(/unknown format "netflow-v9"; known formats: .*nfdump-csv/);
  });
});
