import { composeMapping, fieldTypes, mappingConflicts, missingProperties, type Properties } from './mappings';

const template: Properties = {
  '@timestamp': { type: 'date' },
  source: { properties: { ip: { type: 'ip' }, port: { type: 'integer' } } },
  flow_features: { type: 'object', enabled: false },
};

describe('mapping helpers', () => {
  it('merges object properties of components the way OpenSearch composes them', () => {
    const composed = composeMapping([
      { properties: { source: { properties: { ip: { type: 'ip' } } } } },
      undefined,
      { properties: { source: { properties: { bytes: { type: 'long' } } } } },
      { dynamic: 'strict', properties: {} },
    ]);
    expect(composed.dynamic).toBe('strict');
    expect(fieldTypes(composed.properties)).toEqual(
      new Map([
        ['source', 'object'],
        ['source.ip', 'ip'],
        ['source.bytes', 'long'],
      ]),
    );
  });

  it('lists a disabled object as one opaque field', () => {
    expect(fieldTypes(template).get('flow_features')).toBe('object (disabled)');
  });

  it('reports a field whose type differs in an existing index', () => {
    const existing: Properties = { source: { properties: { ip: { type: 'text', fields: { keyword: { type: 'keyword' } } } } } };
    expect(mappingConflicts(template, existing)).toEqual([{ field: 'source.ip', existing: 'text', template: 'ip' }]);
  });

  it('reports an object in the template that the index holds as a value', () => {
    expect(mappingConflicts(template, { source: { type: 'keyword' } })).toEqual([{ field: 'source', existing: 'keyword', template: 'object' }]);
  });

  it('gives only what an index lacks, and nothing for a conflicting field', () => {
    const existing: Properties = { source: { properties: { ip: { type: 'keyword' } } } };
    expect(missingProperties(template, existing)).toEqual({
      '@timestamp': { type: 'date' },
      source: { properties: { port: { type: 'integer' } } },
      flow_features: { type: 'object', enabled: false },
    });
    expect(missingProperties(template, template)).toBeUndefined();
  });
});
