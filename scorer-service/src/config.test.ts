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
