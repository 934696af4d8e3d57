import { checkMemoryFor, heapBytes } from './opensearchNode';

describe('checkMemoryFor', () => {
  it('reads heap notation in bytes', () => {
    expect(heapBytes('1g')).toBe(2 ** 30);
    expect(heapBytes('512m')).toBe(512 * 2 ** 20);
  });

  it('lets a node start when its heap and some headroom fit', () => {
    expect(() => checkMemoryFor('1g', 4 * 2 ** 30)).not.toThrow();
  });

  it('refuses with the fix when the heap does not fit', () => {
    expect(() => checkMemoryFor('1g', 1 * 2 ** 30)).toThrow(/SPOTHREAT_OPENSEARCH_HEAP=512m/);
  });
});
