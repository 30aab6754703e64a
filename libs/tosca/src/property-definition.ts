// Property and attribute definitions (TOSCA 1.3 §3.6.10 property definition, §3.6.12 attribute
// definition, §3.6.4 schema definition for entry_schema/key_schema) and input/parameter
// definitions (§3.6.14) which share their grammar.
import { readConstraints, type ConstraintClause } from './constraint-clause';
import { diag, type DiagnosticBag } from './diagnostics';
import type { Quirks } from './options';
import { yaml11Boolean } from './primitive-types';
import { here, join } from './where';
import { isYMap, type YMap, type YValue } from './yaml-tree';

export interface SchemaDefinition {
  type: string;
  constraints: ConstraintClause[];
  entrySchema?: SchemaDefinition;
  keySchema?: SchemaDefinition;
}

export interface PropertyDefinition extends SchemaDefinition {
  name: string;
  required: boolean;
  hasDefault: boolean;
  default?: YValue;
  description?: string;
  status?: string;
  /** The type that declared (or last refined) it, for `rule`. */
  owner: string;
  file: string;
  container: YMap;
  key: string;
}

const PROPERTY_KEYS = ['type', 'description', 'required', 'default', 'status', 'constraints', 'key_schema', 'entry_schema', 'metadata', 'value', 'external-schema'];

/** Read a boolean that may be spelled YAML 1.1 style (`required: no`) under the quirk. */
export function readBoolean(container: YMap, key: string, path: string, file: string, quirks: Quirks, bag: DiagnosticBag): boolean | undefined {
  const v = container[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  const b = quirks.yaml11Booleans ? yaml11Boolean(v) : undefined;
  if (b !== undefined) return b;
  bag.add(diag.typeMismatch(here(container, key, path, file), { value: v, expected: 'boolean' }));
  return undefined;
}

/** Read an entry_schema / key_schema: `type-name` or `{ type, constraints, entry_schema }`. */
export function readSchema(raw: YValue, container: YMap, key: string, path: string, file: string, bag: DiagnosticBag): SchemaDefinition | undefined {
  if (typeof raw === 'string') return { type: raw, constraints: [] };
  if (!isYMap(raw) || typeof raw.type !== 'string') {
    bag.add(diag.missingRequiredField(here(container, key, path, file), { field: 'type', where: `schema ${path}` }));
    return undefined;
  }
  const s: SchemaDefinition = { type: raw.type, constraints: readConstraints(raw.constraints, join(path, 'constraints'), file, bag) };
  if (raw.entry_schema !== undefined) s.entrySchema = readSchema(raw.entry_schema, raw, 'entry_schema', join(path, 'entry_schema'), file, bag);
  if (raw.key_schema !== undefined) s.keySchema = readSchema(raw.key_schema, raw, 'key_schema', join(path, 'key_schema'), file, bag);
  return s;
}

/**
 * Read one property/attribute definition as a partial, to be merged over the parent's
 * definition of the same name (a refinement may restate only `default`).
 */
export function readPropertyDefinition(
  name: string,
  raw: YValue,
  section: YMap,
  path: string,
  owner: string,
  file: string,
  quirks: Quirks,
  bag: DiagnosticBag,
  isAttribute = false,
): Partial<PropertyDefinition> & { name: string } {
  const base = { name, owner, file, container: section, key: name };
  if (typeof raw === 'string') return { ...base, type: raw, constraints: [] };
  if (!isYMap(raw)) {
    bag.add(diag.wrongShape(here(section, name, path, file), { what: `${isAttribute ? 'attribute' : 'property'} ${name}`, expected: 'a map', actual: typeof raw }));
    return base;
  }
  for (const key of Object.keys(raw)) {
    if (!PROPERTY_KEYS.includes(key)) bag.add(diag.unknownField(here(raw, key, join(path, key), file, true), { field: key, where: `definition of ${name}`, allowed: PROPERTY_KEYS }));
  }
  const def: Partial<PropertyDefinition> & { name: string } = { ...base, container: raw, key: 'type' };
  if (typeof raw.type === 'string') def.type = raw.type;
  if (typeof raw.description === 'string') def.description = raw.description;
  if (typeof raw.status === 'string') def.status = raw.status;
  const required = readBoolean(raw, 'required', join(path, 'required'), file, quirks, bag);
  if (required !== undefined) def.required = required;
  if ('default' in raw) {
    def.default = raw.default;
    def.hasDefault = true;
  } else if (isAttribute && 'value' in raw) {
    def.default = raw.value;
    def.hasDefault = true;
  }
  if (raw.constraints !== undefined) def.constraints = readConstraints(raw.constraints, join(path, 'constraints'), file, bag);
  if (raw.entry_schema !== undefined) def.entrySchema = readSchema(raw.entry_schema, raw, 'entry_schema', join(path, 'entry_schema'), file, bag);
  if (raw.key_schema !== undefined) def.keySchema = readSchema(raw.key_schema, raw, 'key_schema', join(path, 'key_schema'), file, bag);
  return def;
}

/** Merge a refinement over an inherited definition; fills defaults (required: true). */
export function mergeProperty(parent: PropertyDefinition | undefined, child: Partial<PropertyDefinition> & { name: string }): PropertyDefinition {
  const merged = { ...(parent ?? { required: true, hasDefault: false, constraints: [] }), ...child } as PropertyDefinition;
  if (merged.constraints === undefined) merged.constraints = [];
  if (merged.required === undefined) merged.required = true;
  if (merged.hasDefault === undefined) merged.hasDefault = false;
  return merged;
}

/** Read a `properties:` (or `attributes:`) definitions section into partial definitions. */
export function readPropertySection(
  raw: YValue | undefined,
  path: string,
  owner: string,
  file: string,
  quirks: Quirks,
  bag: DiagnosticBag,
  isAttribute = false,
): Array<Partial<PropertyDefinition> & { name: string }> {
  if (raw === undefined || raw === null) return [];
  if (!isYMap(raw)) {
    bag.add(diag.wrongShape(here(raw, undefined, path, file), { what: path, expected: 'a map', actual: typeof raw }));
    return [];
  }
  return Object.entries(raw).map(([name, def]) => readPropertyDefinition(name, def, raw, join(path, name), owner, file, quirks, bag, isAttribute));
}
