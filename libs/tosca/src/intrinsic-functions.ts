// Intrinsic functions (TOSCA 1.3 §4.3 string functions concat/join/token, §4.4 get_input,
// §4.5 get_property/get_attribute, §4.6 get_operation_output, §4.7 get_nodes_of_type, §4.8
// get_artifact). Evaluated at
// compile time where the arguments are known; get_attribute and get_operation_output (and
// string functions over them) become DeferredExpressions for the orchestrator.
import { diag, describe, type DiagnosticBag } from './diagnostics';
import type { DeferredExpression, Value } from './model';
import { here, join } from './where';
import { isYMap, META, type YValue } from './yaml-tree';

export const FUNCTIONS = ['get_input', 'get_property', 'get_attribute', 'get_operation_output', 'concat', 'join', 'token', 'get_artifact', 'get_nodes_of_type'] as const;
type FunctionName = (typeof FUNCTIONS)[number];

/** Where a function is evaluated: the entity SELF means, and SOURCE/TARGET inside relationships. */
export interface FnContext {
  self?: string;
  source?: string;
  target?: string;
  inOutputs: boolean;
  /** Inside a relationship: its property values, which SELF refers to (§4.5.2). */
  relProps?: Record<string, Value>;
  path: string;
  container: unknown;
  key: string | number | undefined;
  file: string;
}

export type Lookup = { found: true; value: Value } | { found: false; reason: 'entity' | 'name' | 'reported' };

/** What the functions need from the renderer. */
export interface FunctionHost {
  bag: DiagnosticBag;
  inputValue(name: string): Lookup;
  hostOf(node: string): string | undefined;
  hasMember(node: string, name: YValue, kind: 'property' | 'attribute'): boolean;
  nodeExists(name: string): boolean;
  /** `name` is a property, or failing that a capability or requirement of `node`. */
  propertyPath(node: string, args: YValue[], ctx: FnContext): Lookup;
  attributeCheck(node: string, args: YValue[], ctx: FnContext): { capability?: string; attribute: string; keys: Array<string | number> } | undefined;
  artifactFile(node: string, name: string): Value | undefined;
  /** What `node` lacks of `interface.operation` (get_operation_output): the interface, the operation, or nothing. */
  operationCheck(node: string, iface: string, operation: string): 'interface' | 'operation' | undefined;
  /** Names of the node templates whose type is `type` or derives from it; undefined for an unknown type. */
  nodesOfType(type: string): string[] | undefined;
}

/** The function name when `value` is a function call (a single-key map with a known name). */
export function functionName(value: unknown): FunctionName | undefined {
  if (!isYMap(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  return (FUNCTIONS as readonly string[]).includes(keys[0]) ? (keys[0] as FunctionName) : undefined;
}

export function isDeferred(v: unknown): v is DeferredExpression {
  return typeof v === 'object' && v !== null && '$deferred' in v;
}

/** True when `v` contains a deferred expression anywhere. */
export function containsDeferred(v: unknown): boolean {
  if (isDeferred(v)) return true;
  if (Array.isArray(v)) return v.some(containsDeferred);
  if (typeof v === 'object' && v !== null) return Object.values(v).some(containsDeferred);
  return false;
}

const FAIL = Symbol('fail');
type Out = Value | typeof FAIL;

/** Select nested keys/indexes inside a known value. */
export function select(value: Value, keys: YValue[]): { ok: true; value: Value } | { ok: false; key: YValue } {
  let cur: Value = value;
  for (const k of keys) {
    if (Array.isArray(cur) && typeof k === 'number' && k >= 0 && k < cur.length) cur = cur[k];
    else if (typeof cur === 'object' && cur !== null && !Array.isArray(cur) && !isDeferred(cur) && (typeof k === 'string' || typeof k === 'number') && String(k) in cur)
      cur = (cur as Record<string, Value>)[String(k)];
    else return { ok: false, key: k };
  }
  return { ok: true, value: cur };
}

function toText(v: Value): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** Evaluate every function inside `value`; returns plain data and deferred expressions. */
export function evaluate(value: YValue, ctx: FnContext, host: FunctionHost): Value {
  const out = evalAny(value, ctx, host);
  return out === FAIL ? null : out;
}

function evalAny(value: YValue, ctx: FnContext, host: FunctionHost): Out {
  const fn = functionName(value);
  if (fn) return evalFunction(fn, (value as Record<string, YValue>)[fn], ctx, host);
  if (Array.isArray(value)) {
    const list: Value[] = [];
    for (let i = 0; i < value.length; i += 1) {
      const item = value[i];
      // Scalars need no context: skip the allocation (hot path for large topologies).
      if (item === null || typeof item !== 'object') {
        list.push(item);
        continue;
      }
      const v = evalAny(value[i], { ...ctx, path: join(ctx.path, i), container: value, key: i }, host);
      list.push(v === FAIL ? null : v);
    }
    return list;
  }
  if (isYMap(value)) {
    const obj: Record<string, Value> = {};
    const complexKeys = value[META]?.complexKeys;
    for (const written in value) {
      const k = complexKeys?.has(written) ? evalKey(complexKeys.get(written)!, written, value, ctx, host) : written;
      if (k === undefined) continue;
      const v = value[written];
      if (v === null || typeof v !== 'object') {
        obj[k] = v;
        continue;
      }
      const r = evalAny(v, { ...ctx, path: join(ctx.path, k), container: value, key: written }, host);
      obj[k] = r === FAIL ? null : r;
    }
    return obj;
  }
  return value;
}

/** A map key written as a collection (`{ concat: [a, b] }: v`): a function whose result names the key. */
function evalKey(key: YValue, written: string, container: YValue, ctx: FnContext, host: FunctionHost): string | undefined {
  const keyCtx = { ...ctx, path: join(ctx.path, written), container, key: written };
  const out = evalAny(key, keyCtx, host);
  if (out === FAIL) return undefined;
  if (typeof out === 'string' || typeof out === 'number' || typeof out === 'boolean') return String(out);
  host.bag.add(diag.invalidFunction(here(container, written, keyCtx.path, ctx.file), { fn: functionName(key) ?? 'a map key', reason: `a map key must evaluate to a string, got ${describe(out)}` }));
  return undefined;
}

function entity(name: YValue, ctx: FnContext, host: FunctionHost, fn: string, member?: YValue): string | undefined {
  // Positions are computed only when a diagnostic needs one (hot path).
    const w = () => here(ctx.container, ctx.key, ctx.path, ctx.file);
  switch (name) {
    case 'SELF':
      if (ctx.self !== undefined) return ctx.self;
      host.bag.add(diag.functionNotAllowed(w(), { fn, reason: 'SELF has no meaning outside a node or relationship' }));
      return undefined;
    case 'SOURCE':
    case 'TARGET': {
      const v = name === 'SOURCE' ? ctx.source : ctx.target;
      if (v === undefined) host.bag.add(diag.functionNotAllowed(w(), { fn, reason: `${name} is only meaningful inside a relationship` }));
      return v;
    }
    case 'HOST': {
      if (ctx.inOutputs || ctx.self === undefined) {
        host.bag.add(diag.functionNotAllowed(w(), { fn, reason: 'HOST cannot be used in outputs' }));
        return undefined;
      }
      // §4.5: HOST walks down the HostedOn chain to the first host that has the member.
      let h = host.hostOf(ctx.self);
      if (h === undefined) host.bag.add(diag.hostNotFound(w(), { node: ctx.self }));
      const kind = fn === 'get_attribute' ? 'attribute' : 'property';
      const seen = new Set<string>();
      while (h !== undefined && member !== undefined && !host.hasMember(h, member, kind) && !seen.has(h)) {
        seen.add(h);
        const next = host.hostOf(h);
        if (next === undefined) break;
        h = next;
      }
      return h;
    }
    default:
      if (typeof name === 'string' && host.nodeExists(name)) return name;
      host.bag.add(diag.unknownNodeTemplate(w(), { name: describe(name), from: ctx.self ? `"${ctx.self}"` : ctx.path }));
      return undefined;
  }
}

function evalFunction(fn: FunctionName, rawArgs: YValue, ctx: FnContext, host: FunctionHost): Out {
  // Positions are computed only when a diagnostic needs one (hot path).
    const w = () => here(ctx.container, ctx.key, ctx.path, ctx.file);
  const bad = (reason: string): Out => {
    host.bag.add(diag.invalidFunction(w(), { fn, reason }));
    return FAIL;
  };
  const args: YValue[] = Array.isArray(rawArgs) ? rawArgs : [rawArgs];
  switch (fn) {
    case 'get_input': {
      const [name, ...keys] = args;
      if (typeof name !== 'string') return bad(`the input name must be a string, got ${describe(name)}`);
      const got = host.inputValue(name);
      if (!got.found) {
        if (got.reason !== 'reported') host.bag.add(diag.unknownInput(w(), { name }));
        return FAIL;
      }
      if (keys.length === 0) return got.value;
      const sel = select(got.value, keys);
      return sel.ok ? sel.value : bad(`input "${name}" has no key or index ${describe(sel.key)} (get_input takes the input name and then nested keys)`);
    }
    case 'get_property': {
      if (args.length < 2) return bad('takes an entity and a property name');
      if (args[0] === 'SELF' && ctx.relProps && typeof args[1] === 'string' && args[1] in ctx.relProps) {
        const sel = select(ctx.relProps[args[1]], args.slice(2));
        return sel.ok ? sel.value : bad(`relationship property "${args[1]}" has no key or index ${describe(sel.key)}`);
      }
      const node = entity(args[0], ctx, host, fn, args[1]);
      if (node === undefined) return FAIL;
      const got = host.propertyPath(node, args.slice(1), ctx);
      return got.found ? got.value : FAIL;
    }
    case 'get_attribute': {
      if (args.length < 2) return bad('takes an entity and an attribute name');
      const node = entity(args[0], ctx, host, fn, args[1]);
      if (node === undefined) return FAIL;
      const checked = host.attributeCheck(node, args.slice(1), ctx);
      if (!checked) return FAIL;
      const d: DeferredExpression = { $deferred: 'get_attribute', entity: node, attribute: checked.attribute, keys: checked.keys };
      if (checked.capability !== undefined) d.capabilityOrRequirement = checked.capability;
      return d;
    }
    case 'get_operation_output': {
      if (args.length !== 4 || !args.every((a) => typeof a === 'string')) return bad('takes an entity, an interface, an operation and an output name');
      const node = entity(args[0], ctx, host, fn);
      if (node === undefined) return FAIL;
      const [, iface, op, output] = args as string[];
      // SELF inside a relationship names the relationship, whose interfaces are not its source
      // node's; the output itself is only known at run time (§4.6).
      if (!(args[0] === 'SELF' && ctx.source !== undefined)) {
        const missing = host.operationCheck(node, iface, op);
        if (missing === 'interface') host.bag.add(diag.unknownInterface(w(), { name: iface, owner: `node template "${node}"` }));
        if (missing === 'operation') host.bag.add(diag.unknownOperation(w(), { name: op, owner: `interface "${iface}" of node template "${node}"` }));
        if (missing !== undefined) return FAIL;
      }
      return { $deferred: 'get_operation_output', entity: node, interface: iface, operation: op, output };
    }
    case 'get_artifact': {
      if (args.length < 2 || typeof args[1] !== 'string') return bad('takes an entity and an artifact name');
      const node = entity(args[0], ctx, host, fn);
      if (node === undefined) return FAIL;
      const file = host.artifactFile(node, args[1]);
      if (file === undefined) {
        host.bag.add(diag.unknownArtifact(w(), { name: args[1], owner: `node template "${node}"` }));
        return FAIL;
      }
      return file;
    }
    case 'get_nodes_of_type': {
      // §4.7.1: one argument, a node type name; the templates of that type (instances are the
      // orchestrator's: it expands each template by its scaling).
      if (args.length !== 1 || typeof args[0] !== 'string') return bad('takes one node type name');
      const names = host.nodesOfType(args[0]);
      if (names === undefined) {
        host.bag.add(diag.unknownType(w(), { name: args[0], kind: 'node' }));
        return FAIL;
      }
      return names;
    }
    case 'concat': {
      if (!Array.isArray(rawArgs) || rawArgs.length === 0) return bad('needs a list of at least one argument');
      const parts = rawArgs.map((a, i) => evalAny(a, { ...ctx, path: join(ctx.path, `concat[${i}]`) }, host));
      if (parts.some((p) => p === FAIL)) return FAIL;
      const values = parts as Value[];
      if (values.some(containsDeferred)) return { $deferred: 'concat', args: values };
      const texts = values.map(toText);
      if (texts.some((t) => t === undefined)) return bad('every argument must be a string, a number or a boolean');
      return texts.join('');
    }
    case 'join': {
      if (!Array.isArray(rawArgs) || rawArgs.length < 1 || rawArgs.length > 2) return bad('takes a list of strings and an optional delimiter');
      const list = evalAny(rawArgs[0], ctx, host);
      const delimiter = rawArgs.length === 2 ? rawArgs[1] : '';
      if (list === FAIL) return FAIL;
      if (!Array.isArray(list)) return bad('the first argument must be a list');
      if (typeof delimiter !== 'string') return bad('the delimiter must be a string');
      if (list.some(containsDeferred)) return { $deferred: 'join', list, delimiter };
      const texts = list.map(toText);
      if (texts.some((t) => t === undefined)) return bad('every list entry must be a string');
      return texts.join(delimiter);
    }
    case 'token': {
      if (!Array.isArray(rawArgs) || rawArgs.length < 3) return bad('takes three arguments: a string, a separator character and an index');
      let ok = true;
      if (typeof rawArgs[1] !== 'string' || [...rawArgs[1]].length !== 1) ok = bad('the second argument must be a single character') !== FAIL && false;
      if (typeof rawArgs[2] !== 'number' || !Number.isInteger(rawArgs[2])) ok = bad('the third argument must be an integer') !== FAIL && false;
      if (!ok) return FAIL;
      const str = evalAny(rawArgs[0], ctx, host);
      if (str === FAIL) return FAIL;
      const sep = rawArgs[1] as string;
      const index = rawArgs[2] as number;
      if (containsDeferred(str)) return { $deferred: 'token', string: str, separators: sep, index };
      if (typeof str !== 'string') return bad('the first argument must be a string');
      const parts = str.split(sep);
      return index >= 0 && index < parts.length ? parts[index] : bad(`index ${index} is out of range (${parts.length} tokens)`);
    }
  }
}
