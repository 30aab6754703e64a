// Interface and operation definitions/assignments (TOSCA 1.3 §3.6.20 interface definition,
// §3.6.17 operation definition, §3.6.16 operation implementation). Operations sit directly under
// the interface (1.0-1.2) or under `operations:` (1.3). The same reader serves types and templates.
import { diag, type DiagnosticBag } from './diagnostics';
import { INTERFACE_TYPE_KEYS } from './type-definition';
import { here, join } from './where';
import { isYMap, type YMap, type YValue } from './yaml-tree';

export interface OperationDefinition {
  name: string;
  implementation?: string;
  dependencies: string[];
  timeout?: number;
  inputs: Record<string, YValue>;
  /** The map holding inputs (for positions). */
  inputsContainer?: YMap;
  description?: string;
  file: string;
  container: YMap;
  path: string;
}

export interface InterfaceDefinition {
  name: string;
  type?: string;
  inputs: Record<string, YValue>;
  operations: Map<string, OperationDefinition>;
  file: string;
  container: YMap;
  path: string;
}

const OPERATION_KEYS = ['implementation', 'inputs', 'outputs', 'description', 'metadata'];

function readImplementation(raw: YValue, op: OperationDefinition): void {
  if (typeof raw === 'string') op.implementation = raw;
  else if (isYMap(raw)) {
    const primary = raw.primary;
    if (typeof primary === 'string') op.implementation = primary;
    else if (isYMap(primary) && typeof primary.file === 'string') op.implementation = primary.file;
    if (Array.isArray(raw.dependencies)) {
      op.dependencies = raw.dependencies.map((d) => (isYMap(d) && typeof d.file === 'string' ? d.file : String(d)));
    }
    if (typeof raw.timeout === 'number') op.timeout = raw.timeout;
  }
}

function readOperation(name: string, raw: YValue, holder: YMap, path: string, file: string, bag: DiagnosticBag): OperationDefinition {
  const op: OperationDefinition = { name, dependencies: [], inputs: {}, file, container: holder, path };
  if (typeof raw === 'string') {
    op.implementation = raw;
    return op;
  }
  if (raw === null) return op;
  if (!isYMap(raw)) {
    bag.add(diag.wrongShape(here(holder, name, path, file), { what: `operation ${name}`, expected: 'an implementation or a map', actual: typeof raw }));
    return op;
  }
  op.container = raw;
  for (const key of Object.keys(raw)) {
    if (!OPERATION_KEYS.includes(key)) bag.add(diag.unknownField(here(raw, key, join(path, key), file, true), { field: key, where: `operation ${name}`, allowed: OPERATION_KEYS }));
  }
  if (raw.implementation !== undefined) readImplementation(raw.implementation, op);
  if (isYMap(raw.inputs)) {
    op.inputs = raw.inputs;
    op.inputsContainer = raw.inputs;
  }
  if (typeof raw.description === 'string') op.description = raw.description;
  return op;
}

/** Read one interface (definition or assignment). */
export function readInterface(name: string, raw: YValue, section: YMap, path: string, file: string, bag: DiagnosticBag): InterfaceDefinition {
  const def: InterfaceDefinition = { name, inputs: {}, operations: new Map(), file, container: section, path };
  if (!isYMap(raw)) {
    if (raw !== null) bag.add(diag.wrongShape(here(section, name, path, file), { what: `interface ${name}`, expected: 'a map', actual: typeof raw }));
    return def;
  }
  def.container = raw;
  if (typeof raw.type === 'string') def.type = raw.type;
  if (isYMap(raw.inputs)) def.inputs = raw.inputs;
  const ops: Array<[string, YValue, YMap, string]> = [];
  if (isYMap(raw.operations)) for (const [k, v] of Object.entries(raw.operations)) ops.push([k, v, raw.operations, join(join(path, 'operations'), k)]);
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'type' || INTERFACE_TYPE_KEYS.includes(k)) continue;
    ops.push([k, v, raw, join(path, k)]);
  }
  for (const [k, v, holder, p] of ops) def.operations.set(k, readOperation(k, v, holder, p, file, bag));
  return def;
}

/** Read an `interfaces:` section. */
export function readInterfaces(raw: YValue | undefined, path: string, file: string, bag: DiagnosticBag): Map<string, InterfaceDefinition> {
  const out = new Map<string, InterfaceDefinition>();
  if (raw === undefined || raw === null) return out;
  if (!isYMap(raw)) {
    bag.add(diag.wrongShape(here(raw, undefined, path, file), { what: 'interfaces', expected: 'a map', actual: typeof raw }));
    return out;
  }
  for (const [name, body] of Object.entries(raw)) out.set(name, readInterface(name, body, raw, join(path, name), file, bag));
  return out;
}

/** Merge interfaces: operations and inputs of `child` refine those of `parent` (§3.6.20.4). */
export function mergeInterfaces(parent: Map<string, InterfaceDefinition>, child: Map<string, InterfaceDefinition>): Map<string, InterfaceDefinition> {
  const out = new Map(parent);
  for (const [name, c] of child) {
    const p = out.get(name);
    if (!p) {
      out.set(name, c);
      continue;
    }
    const operations = new Map(p.operations);
    for (const [opName, op] of c.operations) {
      const prior = operations.get(opName);
      operations.set(
        opName,
        prior
          ? {
              ...prior,
              ...op,
              implementation: op.implementation ?? prior.implementation,
              dependencies: op.dependencies.length > 0 ? op.dependencies : prior.dependencies,
              inputs: { ...prior.inputs, ...op.inputs },
            }
          : op,
      );
    }
    out.set(name, { ...p, ...c, type: c.type ?? p.type, inputs: { ...p.inputs, ...c.inputs }, operations });
  }
  return out;
}
