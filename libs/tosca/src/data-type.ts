// Values against types (TOSCA 1.3 §3.7.6 data types, §3.6.4 schema definitions, §3.6.3
// constraints): primitives, scalar units, lists and maps with entry_schema/key_schema, data
// types derived from primitives (with their constraints) and complex data types (properties).
import { clauseText, satisfies, type ConstraintClause } from './constraint-clause';
import { diag, type DiagnosticBag } from './diagnostics';
import { containsDeferred, functionName, isDeferred } from './intrinsic-functions';
import type { Value } from './model';
import type { Quirks } from './options';
import { lookup } from './phase3-hierarchies';
import type { EffectiveType, Inheritance } from './phase4-inheritance';
import { checkPrimitive, PRIMITIVE_TYPES, SCALAR_UNITS, yaml11Boolean } from './primitive-types';
import type { SchemaDefinition } from './property-definition';
import { here, join } from './where';

/** Where a value sits: its container and key give the position, `path` the template path. */
export interface ValueSite {
  container: unknown;
  key: string | number | undefined;
  path: string;
  file: string;
  rule?: string;
  raw?: string;
}

const quirkSeen = new WeakMap<DiagnosticBag, Set<string>>();

/** Report a quirk once per file and compile (a warning, so leniency is never silent). */
export function quirkOnce(bag: DiagnosticBag, quirk: string, site: ValueSite, detail: string): void {
  let seen = quirkSeen.get(bag);
  if (!seen) quirkSeen.set(bag, (seen = new Set()));
  const key = `${quirk}|${site.file}`;
  if (seen.has(key)) return;
  seen.add(key);
  bag.add(diag.quirkApplied(here(site.container, site.key, site.path, site.file), { quirk, detail: `${detail} (reported once per file)` }));
}

export class ValueValidator {
  constructor(
    private readonly inh: Inheritance,
    private readonly quirks: Quirks,
    private readonly bag: DiagnosticBag,
  ) {}

  dataType(name: string): EffectiveType | undefined {
    const node = lookup(this.inh.h, 'data', name);
    return node ? this.inh.effective.get(node) : undefined;
  }

  private where(site: ValueSite) {
    return here(site.container, site.key, site.path, site.file, false, site.rule);
  }

  private constraints(value: Value, type: string, clauses: ConstraintClause[], site: ValueSite): void {
    for (const c of clauses) {
      if (!satisfies(c, type, value)) this.bag.add(diag.constraintViolation(this.where(site), { value, constraint: clauseText(c) }));
    }
  }

  private primitive(value: Value, type: string, site: ValueSite): { ok: boolean; value: Value } {
    if (type === 'boolean' && typeof value === 'string' && this.quirks.yaml11Booleans) {
      const b = yaml11Boolean(value);
      if (b !== undefined) {
        quirkOnce(this.bag, 'yaml11-booleans', site, `"${value}" read as the boolean ${b}`);
        return { ok: true, value: b };
      }
    }
    // Only for values that arrive through a function (an integer input fed into a map of
    // strings, INDIGO `environment`); a number written in place for a string stays an error.
    const source = site.container !== null && typeof site.container === 'object' && site.key !== undefined ? (site.container as Record<string | number, unknown>)[site.key] : undefined;
    if (type === 'string' && (typeof value === 'number' || typeof value === 'boolean') && this.quirks.numberAsString && functionName(source) !== undefined) {
      quirkOnce(this.bag, 'number-as-string', site, `${site.raw ?? String(value)} taken as a string`);
      return { ok: true, value: site.raw ?? String(value) };
    }
    if ((type === 'integer' || type === 'float') && typeof value === 'string' && this.quirks.numericStrings && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(value)) {
      const n = Number(value);
      if (type === 'float' || Number.isInteger(n)) {
        quirkOnce(this.bag, 'numeric-strings', site, `"${value}" read as the ${type} ${n}`);
        return { ok: true, value: n };
      }
    }
    const r = checkPrimitive(type, value, site.raw);
    if (r.ok) return { ok: true, value: r.value as Value };
    if (r.scalar) this.bag.add(diag.invalidScalarUnit(this.where(site), { value, kind: type, units: Object.keys(SCALAR_UNITS[type] ?? {}) }));
    else this.bag.add(diag.typeMismatch(this.where(site), { value, expected: type }));
    return { ok: false, value };
  }

  /** Check (and coerce) `value` against `schema`; returns the value to keep. */
  validate(value: Value, schema: SchemaDefinition, site: ValueSite): Value {
    if (value === null || isDeferred(value)) return value;
    const type = schema.type;
    let out: Value = value;
    let baseType = type;
    if (PRIMITIVE_TYPES.has(type)) {
      const r = this.primitive(value, type, site);
      if (!r.ok) return value;
      out = r.value;
    } else {
      const dt = this.dataType(type);
      if (!dt) {
        this.bag.add(diag.unknownType(this.where(site), { name: type, kind: 'data' }));
        return value;
      }
      if (dt.node.primitive) {
        baseType = dt.node.primitive;
        const r = this.primitive(value, baseType, site);
        if (!r.ok) return value;
        out = r.value;
        this.constraints(out, baseType, dt.constraints, { ...site, rule: dt.node.name });
        if ((baseType === 'list' || baseType === 'map') && dt.entrySchema && !schema.entrySchema) out = this.entries(out, baseType, dt.entrySchema, undefined, site);
      } else {
        out = this.complex(value, dt, site);
        this.constraints(out, type, dt.constraints, { ...site, rule: dt.node.name });
      }
    }
    if (baseType === 'list' || baseType === 'map') out = this.entries(out, baseType, schema.entrySchema, schema.keySchema, site);
    this.constraints(out, baseType, schema.constraints, site);
    return out;
  }

  private entries(value: Value, kind: 'list' | 'map', entry: SchemaDefinition | undefined, key: SchemaDefinition | undefined, site: ValueSite): Value {
    if (containsDeferred(value) && !Array.isArray(value) && typeof value !== 'object') return value;
    const src = site.container as Record<string | number, unknown> | undefined;
    const inner = src && site.key !== undefined ? src[site.key] : undefined;
    if (kind === 'list' && Array.isArray(value)) {
      if (!entry) return value;
      return value.map((v, i) => this.validate(v, entry, { container: inner, key: i, path: join(site.path, i), file: site.file, rule: site.rule }));
    }
    if (kind === 'map' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const obj: Record<string, Value> = {};
      for (const [k, v] of Object.entries(value)) {
        const s = { container: inner, key: k, path: join(site.path, k), file: site.file, rule: site.rule };
        if (key) this.validate(k, key, s);
        obj[k] = entry ? this.validate(v, entry, s) : v;
      }
      return obj;
    }
    return value;
  }

  /** A complex data type: a map whose fields are the type's properties. */
  private complex(value: Value, dt: EffectiveType, site: ValueSite): Value {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.bag.add(diag.typeMismatch(this.where(site), { value, expected: `${dt.node.name} (a map)` }));
      return value;
    }
    const src = site.container as Record<string | number, unknown> | undefined;
    const inner = src && site.key !== undefined ? src[site.key] : undefined;
    const obj: Record<string, Value> = {};
    for (const [k, v] of Object.entries(value)) {
      const def = dt.properties.get(k);
      const s: ValueSite = { container: inner, key: k, path: join(site.path, k), file: site.file, rule: dt.node.name };
      if (!def) {
        this.bag.add(diag.unknownProperty(here(inner, k, s.path, site.file, true, dt.node.name), { name: k, owner: `data type "${dt.node.name}"` }));
        obj[k] = v;
        continue;
      }
      obj[k] = this.validate(v, def, s);
    }
    for (const [k, def] of dt.properties) {
      if (k in obj) continue;
      if (def.hasDefault) obj[k] = this.validate(def.default as Value, def, { container: def.container, key: 'default', path: join(site.path, k), file: def.file, rule: dt.node.name });
      else if (def.required) this.bag.add(diag.missingRequiredProperty(here(site.container, site.key, site.path, site.file, false, dt.node.name), { name: k, owner: `data type "${dt.node.name}"` }));
    }
    if (dt.node.lineage.includes(PORT_SPEC)) this.portsInRange(obj, inner, site, dt.node.name);
    return obj;
  }

  /** TOSCA 1.3 §5.3.5's additional requirement: a PortSpec's source and target lie in their ranges, when given. */
  private portsInRange(spec: Record<string, Value>, container: unknown, site: ValueSite, rule: string): void {
    for (const [port, range] of [['source', 'source_range'], ['target', 'target_range']] as const) {
      const value = spec[port];
      const bounds = spec[range];
      if (typeof value !== 'number' || !Array.isArray(bounds) || typeof bounds[0] !== 'number') continue;
      const [lo, hi] = bounds;
      if (value >= lo && (hi === 'UNBOUNDED' || (typeof hi === 'number' && value <= hi))) continue;
      this.bag.add(diag.constraintViolation(here(container, port, join(site.path, port), site.file, false, rule), { value, constraint: `within ${range} [${lo}, ${String(hi)}]` }));
    }
  }
}

const PORT_SPEC = 'tosca.datatypes.network.PortSpec';
