import { WordInputError } from './binning';
import { flowWords, flowWordService } from './flowWords';
import type { FlowWordInput } from './types';

const flow = (over: Partial<FlowWordInput>): FlowWordInput => ({
  sport: 1066,
  dport: 301,
  proto: 'TCP',
  hour: 3,
  bytes: 1026,
  packets: 10,
  ...over,
});

describe('flowWords(input, variant)', () => {
  it("reproduces the seed's first example: the service-port side gets -1_", () => {
    expect(flowWords(flow({}))).toEqual({ srcWord: '301_TCP_3_12_5', dstWord: '-1_301_TCP_3_12_5' });
  });

  it("reproduces the seed's second example: both ports high give 333333 on both sides", () => {
    const words = flowWords(flow({ sport: 1194, dport: 1109, proto: 'UDP', hour: 7, bytes: 1026, packets: 1 }));
    expect(words).toEqual({ srcWord: '333333_UDP_7_12_1', dstWord: '333333_UDP_7_12_1' });
  });

  it("reproduces Spot's code test with the spot-code variant (ceil(log2(x+1)) bins)", () => {
    const words = flowWords(flow({ sport: 2132, dport: 23, proto: 'UDP', hour: 12, bytes: 222, packets: 3 }), 'spot-code');
    expect(words).toEqual({ srcWord: '23_UDP_12_8_2', dstWord: '-1_23_UDP_12_8_2' });
  });

  it('gives the spot-code bins 11 and 4 for the seed example, where the seed gives 12 and 5', () => {
    expect(flowWords(flow({}), 'spot-code').srcWord).toBe('301_TCP_3_11_4');
  });

  it.each([
    ['both ports 0', 0, 0, '0_TCP_3_12_5', '0_TCP_3_12_5'],
    ['only the destination port 0', 5353, 0, '-1_5353_TCP_3_12_5', '5353_TCP_3_12_5'],
    ['only the source port 0', 0, 8080, '8080_TCP_3_12_5', '-1_8080_TCP_3_12_5'],
    ['both ports below 1025', 53, 123, '111111_TCP_3_12_5', '111111_TCP_3_12_5'],
    ['both ports at 1025 and above', 1025, 40000, '333333_TCP_3_12_5', '333333_TCP_3_12_5'],
    ['a low source port and a high destination port', 443, 51000, '-1_443_TCP_3_12_5', '443_TCP_3_12_5'],
    ['port 1024 against port 1025', 1025, 1024, '1024_TCP_3_12_5', '-1_1024_TCP_3_12_5'],
  ])('applies the port rule for %s', (_name, sport, dport, srcWord, dstWord) => {
    expect(flowWords(flow({ sport, dport }))).toEqual({ srcWord, dstWord });
  });

  it.each([
    [0, 0],
    [1, 1],
    [2, 2],
    [3, 3],
    [4, 3],
    [5, 4],
    [1024, 11],
    [1025, 12],
    [2048, 12],
    [2049, 13],
    [2 ** 40, 41],
    [2 ** 40 + 1, 42],
  ])('puts %d bytes in bin %d (first cutoff of 0, 1, 2, 4, ... that is >= the value)', (bytes, bin) => {
    expect(flowWords(flow({ sport: 1066, dport: 301, bytes, packets: 0 })).srcWord).toBe(`301_TCP_3_${bin}_0`);
  });

  it.each([
    [{ bytes: Number.NaN }, /bytes must be a finite number/],
    [{ bytes: -1 }, /bytes must be a finite number >= 0, got -1/],
    [{ packets: Infinity }, /packets/],
    [{ sport: 70000 }, /source port must be an integer 0..65535/],
    [{ dport: 1.5 }, /destination port/],
    [{ hour: 24 }, /hour must be an integer 0..23/],
    [{ proto: '' }, /protocol is empty/],
  ])('rejects %p with a reason', (over, reason) => {
    expect(() => flowWords(flow(over as Partial<FlowWordInput>))).toThrow(WordInputError);
    expect(() => flowWords(flow(over as Partial<FlowWordInput>))).toThrow(reason);
  });
});

describe('flowWordService(word)', () => {
  it('cuts the hour and the bins off, and tells the service side, in either word variant', () => {
    const { srcWord, dstWord } = flowWords(flow({}));
    expect(flowWordService(srcWord)).toEqual({ service: '301_TCP', serves: false });
    expect(flowWordService(dstWord)).toEqual({ service: '301_TCP', serves: true });
    expect(flowWordService(flowWords(flow({ sport: 40000, dport: 50000 }), 'spot-code').srcWord)).toEqual({ service: '333333_TCP', serves: false });
  });
});
