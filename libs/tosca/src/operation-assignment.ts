// Interface and operation assignments of node templates and relationships (TOSCA 1.3 §3.8.3
// interfaces, §3.6.21 interface assignment, §3.6.18 operation assignment) and artifact
// assignments (§3.6.7), rendered to the output model with their inputs evaluated.
import { readArtifacts, type ArtifactDefinition } from './artifact-definition';
import { diag } from './diagnostics';
import { evaluate, type FnContext } from './intrinsic-functions';
import { mergeInterfaces, readInterfaces, type InterfaceDefinition } from './interface-definition';
import type { ArtifactModel, OperationModel, Value } from './model';
import type { EffectiveType } from './phase4-inheritance';
import type { RenderContext } from './render-context';
import { here, join } from './where';
import { isYMap, type YValue } from './yaml-tree';

/** The interface types of the names the normative types use without declaring a type. */
export const DEFAULT_INTERFACE_TYPES: Record<string, string> = {
  Standard: 'tosca.interfaces.node.lifecycle.Standard',
  Configure: 'tosca.interfaces.relationship.Configure',
};

// Operation inputs become the playbook's variables (at extra-vars precedence): these names would
// override the orchestrator's connection (host, port, user, key, bastion, connection type) or
// Ansible's magic variables, so no template may use them.
const RESERVED_INPUTS = new Set(['hostvars', 'groups', 'group_names', 'inventory_hostname', 'inventory_hostname_short', 'inventory_dir', 'inventory_file', 'play_hosts', 'playbook_dir', 'role_name', 'role_names', 'role_path', 'remote_user', 'omit', 'vars']);

export function isReservedInputName(name: string): boolean {
  return /^(ansible|baton)_/i.test(name) || RESERVED_INPUTS.has(name);
}

/** An input given as a 1.3 parameter definition (`{type, default|value}`) yields its value. */
function inputValue(v: YValue): YValue {
  if (isYMap(v) && typeof v.type === 'string' && Object.keys(v).every((k) => ['type', 'default', 'value', 'description', 'required', 'constraints', 'entry_schema', 'status'].includes(k))) {
    return 'value' in v ? v.value : 'default' in v ? v.default : null;
  }
  return v;
}

/** Merge the type's interfaces with the assigned ones and check names against the types. */
export function renderOperations(
  r: RenderContext,
  typeInterfaces: Map<string, InterfaceDefinition>,
  assigned: YValue | undefined,
  path: string,
  owner: string,
  base: Pick<FnContext, 'self' | 'source' | 'target' | 'inOutputs' | 'relProps'>,
  artifacts: Record<string, ArtifactModel>,
): OperationModel[] {
  const own = readInterfaces(assigned, path, r.file, r.bag);
  for (const [name, iface] of own) {
    const declared = typeInterfaces.get(name);
    const ifaceTypeName = iface.type ?? declared?.type ?? DEFAULT_INTERFACE_TYPES[name];
    if (!declared && !iface.type) {
      r.bag.add(diag.unknownInterface(here(assigned, name, join(path, name), r.file, true), { name, owner }));
      continue;
    }
    const ifaceType = ifaceTypeName ? r.type('interface', ifaceTypeName) : undefined;
    for (const [opName, op] of iface.operations) {
      const known = declared?.operations.has(opName) || ifaceType?.operationNames.has(opName);
      if (!known && (ifaceType || declared)) r.bag.add(diag.unknownOperation(here(op.container === iface.container ? iface.container : op.container, op.container === iface.container ? opName : undefined, op.path, r.file, true), { name: opName, owner: `interface "${name}" of ${owner}` }));
    }
  }
  const merged = mergeInterfaces(typeInterfaces, own);
  const out: OperationModel[] = [];
  for (const [name, iface] of merged) {
    const interfaceType = iface.type ?? DEFAULT_INTERFACE_TYPES[name] ?? '';
    for (const [opName, op] of iface.operations) {
      if (op.implementation === undefined && Object.keys(op.inputs).length === 0) continue;
      const inputs: Record<string, Value> = {};
      const all = { ...iface.inputs, ...op.inputs };
      for (const [k, v] of Object.entries(all)) {
        const container = k in op.inputs ? (op.inputsContainer ?? op.container) : iface.container;
        if (isReservedInputName(k)) {
          r.bag.add(diag.reservedInputName(here(container, k, join(join(op.path, 'inputs'), k), op.file, true), { name: k, operation: `${name}.${opName}`, owner }));
          continue;
        }
        inputs[k] = evaluate(inputValue(v), { ...base, path: join(join(op.path, 'inputs'), k), container, key: k, file: op.file }, r);
      }
      const model: OperationModel = { interface: name, interfaceType, name: opName, dependencies: op.dependencies, inputs };
      if (op.implementation !== undefined) {
        model.implementation = op.implementation;
        const art = artifacts[op.implementation];
        if (art) model.artifact = art;
      }
      if (op.timeout !== undefined) model.timeout = op.timeout;
      out.push(model);
    }
  }
  return out;
}

/** Artifacts of the node type merged with the template's, evaluated. */
export function renderArtifacts(r: RenderContext, type: EffectiveType, assigned: YValue | undefined, path: string, self: string): Record<string, ArtifactModel> {
  const merged = new Map<string, ArtifactDefinition>(type.artifacts);
  for (const [k, v] of readArtifacts(assigned, path, r.file, r.bag)) {
    const inherited = merged.get(k);
    merged.set(k, inherited ? { ...inherited, ...v, file: v.file ?? inherited.file, type: v.type ?? inherited.type } : v);
    if ((v.file ?? inherited?.file) === undefined) r.bag.add(diag.missingRequiredField(here(v.container, undefined, v.path, r.file), { field: 'file', where: `artifact ${k}` }));
  }
  const out: Record<string, ArtifactModel> = {};
  for (const [name, def] of merged) {
    const file = evaluate(def.file ?? null, { self, inOutputs: false, path: join(def.path, 'file'), container: def.container, key: 'file', file: def.file_ }, r);
    if (def.type !== undefined && !r.type('artifact', def.type)) r.bag.add(diag.unknownType(here(def.container, 'type', join(def.path, 'type'), def.file_), { name: def.type, kind: 'artifact' }));
    const model: ArtifactModel = { name, type: def.type ?? '', file: typeof file === 'string' ? file : JSON.stringify(file), properties: {} };
    for (const [k, v] of Object.entries(def.properties)) model.properties[k] = evaluate(v, { self, inOutputs: false, path: join(def.path, `properties.${k}`), container: def.properties, key: k, file: def.file_ }, r);
    if (def.repository !== undefined) model.repository = def.repository;
    if (def.deployPath !== undefined) model.deployPath = def.deployPath;
    if (typeof file === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(file)) model.resolvedLocation = file;
    out[name] = model;
  }
  return out;
}
