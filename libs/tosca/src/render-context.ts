// The state of phase 5 (rendering): inputs, node templates with their lazily evaluated property
// values, and the FunctionHost that intrinsic functions call back into (TOSCA 1.3 §4).
// Property values are evaluated on first use, so get_property can follow any order of nodes.
import type { CapabilityDefinition } from './capability-definition';
import { ValueValidator } from './data-type';
import { diag, describe, type DiagnosticBag } from './diagnostics';
import { evaluate, functionName, select, type FnContext, type FunctionHost, type Lookup } from './intrinsic-functions';
import type { DeferredRequirementModel, Value } from './model';
import type { Quirks } from './options';
import { derivesFrom, lookup } from './phase3-hierarchies';
import type { EffectiveType, Inheritance } from './phase4-inheritance';
import { PRIMITIVE_TYPES } from './primitive-types';
import type { PropertyDefinition } from './property-definition';
import type { RequirementDefinition } from './requirement-definition';
import { here, join } from './where';
import { isYMap, rawTextOf, type YMap, type YValue } from './yaml-tree';
import type { TypeKind } from './phase2-namespaces';
import type { Substitution } from './substitution-nesting';
import { isSecretInput } from './input-definition';
import { DEFAULT_INTERFACE_TYPES } from './operation-assignment';
import { INTERFACE_TYPE_KEYS } from './type-definition';

/** A property value as written (template or default), before evaluation. */
export interface RawValue {
  value: YValue;
  container: unknown;
  key: string | number;
  path: string;
  file: string;
  def?: PropertyDefinition;
}

export interface CapabilityState {
  name: string;
  def: CapabilityDefinition;
  type?: EffectiveType;
  raw: Map<string, RawValue>;
  values?: Map<string, Value>;
  attributes: Record<string, YValue>;
  /** Some property of this capability was computed from a secret input. */
  fromSecret?: boolean;
}

export interface ResolvedRequirement {
  name: string;
  def?: RequirementDefinition;
  target?: string;
  capability?: string;
  relationship?: EffectiveType;
  /** Inline relationship body (`{type, properties, interfaces}`) or a relationship template's body. */
  relBody?: YMap;
  relBodyPath: string;
  container: unknown;
  key: string | number;
  path: string;
  /** A node_filter-only requirement that no template fulfils: the orchestrator selects its target. */
  deferred?: DeferredRequirementModel;
}

export interface NodeState {
  name: string;
  raw: YMap;
  path: string;
  file: string;
  type?: EffectiveType;
  props: Map<string, RawValue>;
  values: Map<string, Value>;
  busy: Set<string>;
  caps: Map<string, CapabilityState>;
  reqs: ResolvedRequirement[];
  /** Properties whose value was computed from a secret input (see RenderContext.secretReads). */
  fromSecret?: Set<string>;
}

export interface InputState {
  def: PropertyDefinition;
  value: Value;
  hasValue: boolean;
  /** The value given or defaulted was refused (and reported at the input). */
  invalid: boolean;
}

const DEFAULT_CACHE = new WeakMap<PropertyDefinition, { value: Value }>();

/** Cached defaults are shared: hand out copies so no consumer mutates another node's value. */
function clone(v: Value): Value {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(clone);
  const out: Record<string, Value> = {};
  for (const k in v) out[k] = clone((v as Record<string, Value>)[k]);
  return out;
}

function containsFunction(v: YValue): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (functionName(v)) return true;
  return Array.isArray(v) ? v.some(containsFunction) : Object.values(v).some(containsFunction);
}

export class RenderContext implements FunctionHost {
  readonly nodes = new Map<string, NodeState>();
  readonly inputs = new Map<string, InputState>();
  /** `node.requirement` pairs exposed by substitution_mappings: they may stay unassigned. */
  exposed = new Set<string>();
  /** Imported topologies that realise node templates of their node_type (nested substitution). */
  substitutions: Substitution[] = [];
  readonly validator: ValueValidator;
  /**
   * Reads of a secret input so far, counted through get_input and through the memoized
   * properties computed from one: a value evaluated while it grows is derived from a secret
   * (an output of `token` or `concat` over a password shows fragments no exact match can hide).
   */
  secretReads = 0;

  constructor(
    readonly inh: Inheritance,
    readonly quirks: Quirks,
    readonly bag: DiagnosticBag,
    readonly file: string,
  ) {
    this.validator = new ValueValidator(inh, quirks, bag);
  }

  type(kind: TypeKind, name: string): EffectiveType | undefined {
    const node = lookup(this.inh.h, kind, name);
    return node ? this.inh.effective.get(node) : undefined;
  }

  derives(kind: TypeKind, type: EffectiveType, ancestor: string): boolean {
    return derivesFrom(this.inh.h, kind, type.node, ancestor);
  }

  // FunctionHost ------------------------------------------------------------------------------

  inputValue(name: string): Lookup {
    const s = this.inputs.get(name);
    if (!s) return { found: false, reason: 'name' };
    if (isSecretInput(name, s.def.type)) this.secretReads += 1;
    return s.invalid ? { found: false, reason: 'reported' } : { found: true, value: s.value };
  }

  nodeExists(name: string): boolean {
    return this.nodes.has(name);
  }

  /** Whether `node` has `name` as a property (kind 'property') or as an attribute or property. */
  hasMember(node: string, name: YValue, kind: 'property' | 'attribute'): boolean {
    const t = this.nodes.get(node)?.type;
    if (!t || typeof name !== 'string') return false;
    return t.properties.has(name) || (kind === 'attribute' && t.attributes.has(name)) || this.nodes.get(node)!.caps.has(name);
  }

  hostOf(node: string): string | undefined {
    const s = this.nodes.get(node);
    for (const r of s?.reqs ?? []) {
      if (r.target !== undefined && r.relationship && this.derives('relationship', r.relationship, 'tosca.relationships.HostedOn')) return r.target;
    }
    return undefined;
  }

  /** Evaluated value of a node property (memoized; cycles reported). */
  property(node: NodeState, name: string): Lookup {
    const hit = node.values.get(name);
    if (hit !== undefined || node.values.has(name)) {
      if (node.fromSecret?.has(name)) this.secretReads += 1;
      return { found: true, value: hit ?? null };
    }
    const raw = node.props.get(name);
    if (!raw) return { found: false, reason: 'name' };
    if (node.busy.has(name)) {
      this.bag.add(diag.invalidFunction(here(raw.container, raw.key, raw.path, raw.file), { fn: 'get_property', reason: `property "${name}" of "${node.name}" refers to itself` }));
      return { found: false, reason: 'reported' };
    }
    node.busy.add(name);
    const reads = this.secretReads;
    const value = this.evalRaw(raw, { self: node.name, inOutputs: false });
    if (this.secretReads > reads) (node.fromSecret ??= new Set()).add(name);
    node.busy.delete(name);
    node.values.set(name, value);
    return { found: true, value };
  }

  /** Evaluate and validate one raw value. */
  evalRaw(raw: RawValue, base: Pick<FnContext, 'self' | 'source' | 'target' | 'inOutputs' | 'relProps'>): Value {
    // A type's default without functions validates the same way on every node and compile:
    // memoized on its (immutable, cached) definition when it produced no diagnostic.
    const isDefault = raw.def !== undefined && raw.key === 'default' && raw.container === raw.def.container;
    if (isDefault) {
      const hit = DEFAULT_CACHE.get(raw.def!);
      if (hit !== undefined) return clone(hit.value);
    }
    const before = this.bag.items.length;
    const scalar = raw.value === null || typeof raw.value !== 'object';
    const value = scalar ? (raw.value as Value) : evaluate(raw.value, { ...base, path: raw.path, container: raw.container, key: raw.key, file: raw.file }, this);
    if (!raw.def) return value;
    const rawText = typeof value === 'number' ? rawTextOf(raw.container, raw.key) : undefined;
    const out = this.validator.validate(value, raw.def, { container: raw.container, key: raw.key, path: raw.path, file: raw.file, rule: raw.def.owner, raw: rawText });
    if (isDefault && this.bag.items.length === before && !containsFunction(raw.value)) DEFAULT_CACHE.set(raw.def!, { value: out });
    return out;
  }

  capabilityValues(node: NodeState, cap: CapabilityState): Map<string, Value> {
    if (cap.values) {
      if (cap.fromSecret) this.secretReads += 1;
      return cap.values;
    }
    const reads = this.secretReads;
    cap.values = new Map();
    for (const [k, raw] of cap.raw) cap.values.set(k, this.evalRaw(raw, { self: node.name, inOutputs: false }));
    if (this.secretReads > reads) cap.fromSecret = true;
    return cap.values;
  }

  propertyPath(nodeName: string, args: YValue[], ctx: FnContext): Lookup {
    const node = this.nodes.get(nodeName)!;
    // Positions are computed only when a diagnostic needs one (hot path).
    const w = () => here(ctx.container, ctx.key, ctx.path, ctx.file);
    const [first, ...rest] = args;
    const fail = (): Lookup => ({ found: false, reason: 'reported' });
    const nested = (value: Value, keys: YValue[], what: string): Lookup => {
      const sel = select(value, keys);
      if (sel.ok) return { found: true, value: sel.value };
      this.bag.add(diag.invalidFunction(w(), { fn: 'get_property', reason: `${what} has no key or index ${describe(sel.key)}` }));
      return fail();
    };
    if (typeof first !== 'string') {
      this.bag.add(diag.invalidFunction(w(), { fn: 'get_property', reason: `a property name must be a string, got ${describe(first)}` }));
      return fail();
    }
    if (node.props.has(first)) {
      const got = this.property(node, first);
      return got.found ? nested(got.value, rest, `property "${first}"`) : got;
    }
    const cap = node.caps.get(first);
    if (cap && rest.length > 0 && typeof rest[0] === 'string') {
      const values = this.capabilityValues(node, cap);
      if (!cap.raw.has(rest[0]) && !cap.type?.properties.has(rest[0])) {
        this.bag.add(diag.unknownProperty(w(), { name: rest[0], owner: `capability "${first}" of node template "${nodeName}"` }));
        return fail();
      }
      return nested(values.get(rest[0]) ?? null, rest.slice(1), `property "${rest[0]}"`);
    }
    const req = node.reqs.find((r) => r.name === first);
    if (req && req.target !== undefined && rest.length > 0) {
      // §4.5.2: through a requirement, the property is the relationship's (as Puccini reads it),
      // else the target capability's, else the target node's.
      const relDef = typeof rest[0] === 'string' ? req.relationship?.properties.get(rest[0]) : undefined;
      if (relDef && typeof rest[0] === 'string') {
        const props = isYMap(req.relBody?.properties) ? req.relBody.properties : undefined;
        const own = props !== undefined && rest[0] in props;
        const raw: RawValue = own
          ? { value: props[rest[0]], container: props, key: rest[0], path: join(join(req.relBodyPath, 'properties'), rest[0]), file: node.file, def: relDef }
          : { value: relDef.default ?? null, container: relDef.container, key: 'default', path: req.relBodyPath, file: node.file, def: relDef };
        const value = own || relDef.default !== undefined ? this.evalRaw(raw, { self: nodeName, source: nodeName, target: req.target, inOutputs: false }) : null;
        return nested(value, rest.slice(1), `property "${rest[0]}"`);
      }
      const target = this.nodes.get(req.target)!;
      const tcap = req.capability !== undefined ? target.caps.get(req.capability) : undefined;
      if (tcap && typeof rest[0] === 'string' && (tcap.raw.has(rest[0]) || tcap.type?.properties.has(rest[0]))) {
        return nested(this.capabilityValues(target, tcap).get(rest[0]) ?? null, rest.slice(1), `property "${rest[0]}"`);
      }
      return this.propertyPath(req.target, rest, ctx);
    }
    if (node.type?.properties.has(first)) return { found: true, value: null };
    if (node.type === undefined) return fail();
    this.bag.add(diag.unknownProperty(w(), { name: first, owner: `node template "${nodeName}"` }));
    return fail();
  }

  attributeCheck(nodeName: string, args: YValue[], ctx: FnContext): { capability?: string; attribute: string; keys: Array<string | number> } | undefined {
    const node = this.nodes.get(nodeName)!;
    // Positions are computed only when a diagnostic needs one (hot path).
    const w = () => here(ctx.container, ctx.key, ctx.path, ctx.file);
    const type = node.type;
    if (!type) return undefined;
    const keysOf = (xs: YValue[]) => xs.filter((x): x is string | number => typeof x === 'string' || typeof x === 'number');
    const indexable = (def: PropertyDefinition | undefined, keys: YValue[], name: string): boolean => {
      if (!def || keys.length === 0) return true;
      const t = def.type;
      if (t === 'list' || t === 'map' || !PRIMITIVE_TYPES.has(t)) return true;
      this.bag.add(diag.invalidFunction(w(), { fn: 'get_attribute', reason: `attribute "${name}" is a ${t}: unexpected attribute/index value ${describe(keys[0])}` }));
      return false;
    };
    const [first, ...rest] = args;
    if (typeof first !== 'string') {
      this.bag.add(diag.invalidFunction(w(), { fn: 'get_attribute', reason: `an attribute name must be a string, got ${describe(first)}` }));
      return undefined;
    }
    const def = type.attributes.get(first) ?? type.properties.get(first);
    if (def) return indexable(def, rest, first) ? { attribute: first, keys: keysOf(rest) } : undefined;
    const cap = node.caps.get(first);
    if (cap && typeof rest[0] === 'string') {
      const capDef = cap.type?.attributes.get(rest[0]) ?? cap.type?.properties.get(rest[0]);
      if (!capDef && cap.type) {
        this.bag.add(diag.unknownAttribute(w(), { name: rest[0], owner: `capability "${first}" of node template "${nodeName}"` }));
        return undefined;
      }
      return indexable(capDef, rest.slice(1), rest[0]) ? { capability: first, attribute: rest[0], keys: keysOf(rest.slice(1)) } : undefined;
    }
    const req = node.reqs.find((r) => r.name === first);
    if (req && typeof rest[0] === 'string') return { capability: first, attribute: rest[0], keys: keysOf(rest.slice(1)) };
    this.bag.add(diag.unknownAttribute(w(), { name: first, owner: `node template "${nodeName}"` }));
    return undefined;
  }

  nodesOfType(typeName: string): string[] | undefined {
    if (!this.type('node', typeName)) return undefined;
    return [...this.nodes.values()].filter((n) => n.type !== undefined && this.derives('node', n.type, typeName)).map((n) => n.name);
  }

  operationCheck(nodeName: string, ifaceName: string, opName: string): 'interface' | 'operation' | undefined {
    const node = this.nodes.get(nodeName);
    // A template without a known type has had that reported already.
    if (!node?.type) return undefined;
    const declared = node.type.interfaces.get(ifaceName);
    const assigned = isYMap(node.raw.interfaces) ? node.raw.interfaces[ifaceName] : undefined;
    // An interface or operation assigned by the template but unknown to its type is reported at
    // the assignment (operation-assignment.ts): naming it here would say it twice.
    if (!declared && assigned === undefined) return 'interface';
    const own = isYMap(assigned) ? assigned : undefined;
    const typeName = declared?.type ?? (typeof own?.type === 'string' ? own.type : undefined) ?? DEFAULT_INTERFACE_TYPES[ifaceName];
    const ifaceType = typeName !== undefined ? this.type('interface', typeName) : undefined;
    if (declared?.operations.has(opName) || ifaceType?.operationNames.has(opName)) return undefined;
    const has = (m: unknown): boolean => isYMap(m) && Object.prototype.hasOwnProperty.call(m, opName);
    if (own && ((has(own) && opName !== 'type' && !INTERFACE_TYPE_KEYS.includes(opName)) || has(own.operations))) return undefined;
    return declared || ifaceType ? 'operation' : undefined;
  }

  artifactFile(nodeName: string, name: string): Value | undefined {
    const node = this.nodes.get(nodeName);
    const own = node && isYMap(node.raw.artifacts) ? node.raw.artifacts[name] : undefined;
    const fromType = node?.type?.artifacts.get(name);
    const body = own ?? (fromType ? { file: fromType.file ?? null } : undefined);
    if (body === undefined) return undefined;
    const file = typeof body === 'string' ? body : isYMap(body) ? body.file : undefined;
    if (file === undefined) return undefined;
    return evaluate(file, { self: nodeName, inOutputs: false, path: join(node!.path, `artifacts.${name}`), container: body, key: 'file', file: node!.file }, this);
  }
}
