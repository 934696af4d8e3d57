import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultFieldMapping, FieldMappingError, loadFieldMapping, parseFieldMapping, readField, readPath, sourceFields } from './fieldMapping';

describe('field mapping', () => {
  it('reads Spothreat\'s own daily raw indices with ECS names by default', () => {
    const mapping = defaultFieldMapping('spothreat-');
    expect(mapping.flow.index).toBe('spothreat-raw-flow-*');
    expect(mapping.dns.fields['dns.question.name']).toBe('dns.question.name');
    expect(mapping.proxy.custom).toBe(false);
  });

  it('lays a user file over the defaults and keeps the fields it does not rename', () => {
    const mapping = parseFieldMapping(
      { flow: { index: 'filebeat-*', filter: { term: { 'event.dataset': 'netflow.log' } }, fields: { 'destination.bytes': null } } },
      'spothreat-',
      'mapping.json',
    );
    expect(mapping.flow.index).toBe('filebeat-*');
    expect(mapping.flow.filter).toEqual({ term: { 'event.dataset': 'netflow.log' } });
    expect(mapping.flow.fields['destination.bytes']).toBeNull();
    expect(mapping.flow.fields['source.ip']).toBe('source.ip');
    expect(mapping.flow.custom).toBe(true);
    expect(mapping.dns.index).toBe('spothreat-raw-dns-*');
  });

  it('lists every problem of a bad file at once, naming the file', () => {
    let caught: unknown;
    try {
      parseFieldMapping({ flow: { fields: { 'source.ipaddr': 'x', '@timestamp': null } }, dnss: {} }, 'p-', 'bad.json');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FieldMappingError);
    expect((caught as Error).message).toContain('bad.json');
    expect((caught as FieldMappingError).problems.join('\n')).toMatch(/dnss/);
  });

  it('rejects a logical field Spothreat does not read and a null time field', () => {
    expect(() => parseFieldMapping({ flow: { fields: { 'source.ipaddr': 'x', '@timestamp': null } } }, 'p-', 'bad.json')).toThrow(
      /source\.ipaddr: not a field[\s\S]*@timestamp: every event needs a time field/,
    );
  });

  it('names the file when it is not JSON', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fieldmap-'));
    const file = path.join(dir, 'm.json');
    fs.writeFileSync(file, '{ nope');
    expect(() => loadFieldMapping(file, 'p-')).toThrow(new RegExp(`${file}[\\s\\S]*not valid JSON`));
    fs.rmSync(dir, { recursive: true });
  });

  it('reads nested objects, dotted keys and arrays of objects', () => {
    expect(readPath({ source: { ip: '10.0.0.1' } }, ['source', 'ip'])).toBe('10.0.0.1');
    expect(readPath({ 'source.ip': '10.0.0.2' }, ['source', 'ip'])).toBe('10.0.0.2');
    expect(readPath({ netflow: { 'exporter.address': '1.2.3.4:2055' } }, ['netflow', 'exporter', 'address'])).toBe('1.2.3.4:2055');
    expect(readPath({ dns: { answers: [{ data: 'a' }, { data: 'b' }] } }, ['dns', 'answers', 'data'])).toEqual(['a', 'b']);
    expect(readPath({ source: {} }, ['source', 'ip'])).toBeUndefined();
  });

  it('reads a renamed field and gives undefined for one mapped to null', () => {
    const mapping = parseFieldMapping({ flow: { fields: { 'source.ip': 'src_addr', 'destination.bytes': null } } }, 'p-', 'm.json');
    expect(readField({ src_addr: '10.1.1.1', destination: { bytes: 5 } }, mapping.flow, 'source.ip')).toBe('10.1.1.1');
    expect(readField({ destination: { bytes: 5 } }, mapping.flow, 'destination.bytes')).toBeUndefined();
    expect(sourceFields(mapping.flow)).toContain('src_addr');
    expect(sourceFields(mapping.flow)).not.toContain('destination.bytes');
  });
});
