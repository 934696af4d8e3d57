import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('gives local defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.opensearch.url).toBe('http://127.0.0.1:9200');
    expect(config.redis.url).toBe('redis://127.0.0.1:6379');
    expect(config.indexPrefix).toBe('spothreat-');
    expect(config.opensearch.heap).toBe('1g');
  });

  it('follows a changed OpenSearch port into the default URL', () => {
    expect(loadConfig({ SPOTHREAT_OPENSEARCH_PORT: '9250' }).opensearch.url).toBe('http://127.0.0.1:9250');
  });

  it('takes the local ports from the URLs when only the URLs are given, so the stack starts where they point', () => {
    const config = loadConfig({ SPOTHREAT_OPENSEARCH_URL: 'http://127.0.0.1:9210', SPOTHREAT_REDIS_URL: 'redis://127.0.0.1:6390' });
    expect(config.opensearch.port).toBe(9210);
    expect(config.redis.port).toBe(6390);
    expect(loadConfig({ SPOTHREAT_REDIS_URL: 'redis://cache.internal' }).redis.port).toBe(6379);
    expect(loadConfig({ SPOTHREAT_REDIS_URL: 'redis://127.0.0.1:6390', SPOTHREAT_REDIS_PORT: '6400' }).redis.port).toBe(6400);
  });

  it('lists every problem at once, named by its environment variable', () => {
    let error: unknown;
    try {
      loadConfig({ SPOTHREAT_OPENSEARCH_PORT: 'abc', SPOTHREAT_OPENSEARCH_HEAP: 'lots', SPOTHREAT_INDEX_PREFIX: 'Bad Prefix' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toContain('SPOTHREAT_OPENSEARCH_PORT');
    expect(problems).toContain('SPOTHREAT_OPENSEARCH_HEAP');
    expect(problems).toContain('SPOTHREAT_INDEX_PREFIX');
  });
});

describe('loadConfig for the scorer service', () => {
  it('defaults to Spot-like scoring parameters and hourly schedules', () => {
    const config = loadConfig({});
    expect(config.scoring).toMatchObject({ tol: 1, maxResults: 3000, topics: 20, chains: 4, alpha: 1.02, beta: 1.001, dupFactor: 1000 });
    expect(config.schedules.flow).toBe('5 * * * *');
    expect(config.api).toMatchObject({ host: '127.0.0.1', port: 7070 });
    expect(config.api.token).toBeUndefined();
    expect(config.enrichment.internalRanges).toContain('10.0.0.0/8');
  });

  it('reads internal ranges as a comma-separated list and rejects a bad one by its variable', () => {
    expect(loadConfig({ SPOTHREAT_INTERNAL_RANGES: '10.1.0.0/16, 192.0.2.0/24' }).enrichment.internalRanges).toEqual([
      '10.1.0.0/16',
      '192.0.2.0/24',
    ]);
    expect(() => loadConfig({ SPOTHREAT_INTERNAL_RANGES: '10.1.0.0/16,office' })).toThrow(/SPOTHREAT_INTERNAL_RANGES/);
  });

  it('refuses a short API token and a zero TOL', () => {
    expect(() => loadConfig({ SPOTHREAT_API_TOKEN: 'short' })).toThrow(/SPOTHREAT_API_TOKEN/);
    expect(() => loadConfig({ SPOTHREAT_TOL: '0' })).toThrow(/SPOTHREAT_TOL/);
    expect(() => loadConfig({ SPOTHREAT_LDA_CHAINS: '0' })).toThrow(/SPOTHREAT_LDA_CHAINS/);
    expect(() => loadConfig({ SPOTHREAT_LDA_ALPHA: '1' })).toThrow(/SPOTHREAT_LDA_ALPHA/);
    expect(loadConfig({ SPOTHREAT_LDA_BETA: '1.5' }).scoring.beta).toBe(1.5);
  });
});

describe('loadConfig for ASN enrichment', () => {
  it('uses the packaged ASN CSVs by default, none when asked, or the user\'s own files', () => {
    expect(loadConfig({}).enrichment.asnSource).toBe('packaged');
    expect(loadConfig({ SPOTHREAT_ASN_CSV: ' ' }).enrichment.asnSource).toBe('packaged');
    expect(loadConfig({ SPOTHREAT_ASN_CSV: 'NONE' }).enrichment.asnSource).toBe('none');
    expect(loadConfig({ SPOTHREAT_ASN_CSV: '/data/asn-ipv4.csv, /data/asn-ipv6.csv' }).enrichment.asnSource).toEqual(['/data/asn-ipv4.csv', '/data/asn-ipv6.csv']);
  });

  it('refuses a file that is not a CSV, naming the variable', () => {
    expect(() => loadConfig({ SPOTHREAT_ASN_CSV: '/data/asn.mmdb' })).toThrow(/SPOTHREAT_ASN_CSV: must be CSV files/);
  });
});
