import path from 'node:path';
import ts from 'typescript';
import { leafFieldTypes } from './mappings';
import { composedMapping, loadTemplateFiles } from './templateFiles';

/**
 * The raw-event templates must map exactly the fields of the TypeScript event types: a field the code
 * writes but the template lacks fails every document under `dynamic: strict`, and a mapped field no code
 * writes is a sign the two have drifted. The types are read with the TypeScript compiler, so a field added
 * to events.ts is checked without anyone remembering to update this test.
 */

type LeafKind = 'string' | 'number' | 'boolean' | 'open-record';

const eventsFile = path.resolve(__dirname, '../../domain/events.ts');

function eventTypeLeaves(typeName: string): Map<string, LeafKind> {
  const program = ts.createProgram([eventsFile], { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022 });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(eventsFile)!)!;
  const symbol = checker.getExportsOfModule(moduleSymbol).find((s) => s.name === typeName);
  if (!symbol) throw new Error(`events.ts exports no ${typeName}`);
  const leaves = new Map<string, LeafKind>();

  const walk = (type: ts.Type, at: string): void => {
    const t = checker.getNonNullableType(type);
    if (checker.isArrayType(t)) return walk(checker.getTypeArguments(t as ts.TypeReference)[0], at);
    if (t.flags & ts.TypeFlags.BooleanLike) return void leaves.set(at, 'boolean');
    if (t.flags & ts.TypeFlags.StringLike || (t.isUnion() && t.types.every((m) => m.flags & ts.TypeFlags.StringLike))) {
      return void leaves.set(at, 'string');
    }
    if (t.flags & ts.TypeFlags.NumberLike) return void leaves.set(at, 'number');
    const properties = checker.getPropertiesOfType(t);
    if (properties.length === 0 && checker.getIndexInfosOfType(t).length > 0) return void leaves.set(at, 'open-record');
    if (properties.length === 0) throw new Error(`${typeName}.${at}: a type this test cannot map (${checker.typeToString(t)})`);
    for (const property of properties) {
      const declaration = property.valueDeclaration ?? property.declarations![0];
      walk(checker.getTypeOfSymbolAtLocation(property, declaration), at ? `${at}.${property.name}` : property.name);
    }
  };
  walk(checker.getDeclaredTypeOfSymbol(symbol), '');
  return leaves;
}

const compatible: Record<LeafKind, string[]> = {
  string: ['keyword', 'text', 'ip', 'date', 'wildcard', 'match_only_text'],
  number: ['long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'unsigned_long'],
  boolean: ['boolean'],
  'open-record': ['object (disabled)'],
};

const set = loadTemplateFiles('fit-');
const cases = [
  { typeName: 'FlowEvent', template: 'raw-flow' },
  { typeName: 'DnsEvent', template: 'raw-dns' },
  { typeName: 'ProxyEvent', template: 'raw-proxy' },
] as const;

describe.each(cases)('the $template template and $typeName', ({ typeName, template }) => {
  const indexTemplate = set.indexTemplates.find((t) => t.baseName === template)!;
  const mapping = composedMapping(indexTemplate, set);
  const mapped = leafFieldTypes(mapping.properties);
  const leaves = eventTypeLeaves(typeName);

  it('rejects fields it does not know (dynamic: strict)', () => {
    expect(mapping.dynamic).toBe('strict');
  });

  it('maps every field of the TypeScript type with a compatible type', () => {
    const problems: string[] = [];
    for (const [field, kind] of leaves) {
      const type = mapped.get(field);
      if (type === undefined) problems.push(`${field} (${kind}) is not mapped`);
      else if (!compatible[kind].includes(type)) problems.push(`${field} is a ${kind} in TypeScript but mapped as ${type}`);
    }
    expect(problems).toEqual([]);
  });

  it('maps no field the TypeScript type does not have', () => {
    const extra = [...mapped.keys()].filter((field) => !leaves.has(field));
    expect(extra).toEqual([]);
  });

  it('found the fields it checks (the compiler walk is not empty)', () => {
    expect(leaves.get('@timestamp')).toBe('string');
    expect(leaves.get('spothreat.record')).toBe('number');
    expect(leaves.size).toBeGreaterThan(15);
  });
});
