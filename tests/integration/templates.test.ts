import { randomBytes } from 'node:crypto';
import { createOpenSearchClient } from '../../scorer-service/src/adapters/opensearch/client';
import { applyTemplates, removeTemplates } from '../../scorer-service/src/adapters/opensearch/templates';
import { loadConfig } from '../../scorer-service/src/config';

// The project's testTimeout is not applied to a single project run by jest 30; these tests start CLI processes.
jest.setTimeout(300_000);

const config = loadConfig();
const client = createOpenSearchClient(config);
const prefix = `t-templates-${randomBytes(4).toString('hex')}-`;

afterAll(async () => {
  await client.indices.delete({ index: `${prefix}*`, expand_wildcards: 'all' }, { ignore: [404] });
  await removeTemplates(client, prefix);
  await client.close();
});

describe('templates apply against the real OpenSearch', () => {
  it('installs every template once and reports all of them unchanged the second time', async () => {
    const first = await applyTemplates(client, prefix);
    expect(first.ok).toBe(true);
    expect(first.templates.filter((t) => t.kind !== 'ism').every((t) => t.action === 'created')).toBe(true);
    const second = await applyTemplates(client, prefix);
    expect(second.templates.filter((t) => t.kind !== 'ism').map((t) => t.action)).toEqual(
      first.templates.filter((t) => t.kind !== 'ism').map(() => 'unchanged'),
    );
  });

  it('gives a new daily raw index the strict mapping of the templates', async () => {
    const index = `${prefix}raw-flow-2020.01.02`;
    await client.indices.create({ index });
    const res = await client.indices.getMapping({ index });
    const mapping = (res.body as Record<string, { mappings: { dynamic: string; properties: Record<string, { properties?: Record<string, { type: string }> }> } }>)[index]
      .mappings;
    expect(mapping.dynamic).toBe('strict');
    expect(mapping.properties.source.properties?.ip.type).toBe('ip');
    const bad = await client.index({ index, body: { '@timestamp': '2020-01-02T00:00:00Z', unexpected: 1 } }, { ignore: [400] });
    expect(bad.statusCode).toBe(400);
  });

  it('adds to an existing index the fields it lacks without touching the others', async () => {
    const index = `${prefix}raw-dns-2020.01.03`;
    // Without templates installed the index gets only what we give it, as one made by an older Spothreat would.
    await removeTemplates(client, prefix);
    await client.indices.create({
      index,
      body: { mappings: { dynamic: 'strict', properties: { '@timestamp': { type: 'date' }, source: { properties: { ip: { type: 'ip' } } } } } },
    });
    const result = await applyTemplates(client, prefix);
    expect(result.ok).toBe(true);
    const extension = result.extended.find((e) => e.index === index);
    expect(extension?.fields).toContain('dns.question.name');
    expect(extension?.fields).not.toContain('source.ip');
    const res = await client.indices.getMapping({ index });
    const properties = (res.body as Record<string, { mappings: { properties: Record<string, unknown> } }>)[index].mappings.properties;
    expect(Object.keys(properties)).toEqual(expect.arrayContaining(['dns', 'source', '@timestamp', 'spothreat']));
  });

  it('refuses, installing nothing, when an existing index maps a field with another type', async () => {
    const other = `t-templates-${randomBytes(4).toString('hex')}-`;
    const index = `${other}rejected`;
    try {
      await client.indices.create({ index, body: { mappings: { properties: { rejected: { properties: { record: { type: 'keyword' } } } } } } });
      const result = await applyTemplates(client, other);
      expect(result.ok).toBe(false);
      expect(result.conflicts).toEqual([
        expect.objectContaining({ index, field: 'rejected.record', existing: 'keyword', template: 'long', templateName: `${other}rejected` }),
      ]);
      expect(result.templates.every((t) => t.action === 'not-applied')).toBe(true);
      const installed = await client.indices.getIndexTemplate({ name: `${other}rejected` }, { ignore: [404] });
      expect(installed.statusCode).toBe(404);
      const mapping = await client.indices.getMapping({ index });
      expect(JSON.stringify(mapping.body)).toContain('"record":{"type":"keyword"}');
    } finally {
      await client.indices.delete({ index }, { ignore: [404] });
      await removeTemplates(client, other);
    }
  });
});
