// Phase 4: inheritance (STYLE.md rule 6; TOSCA 1.3 §3.7 "derived_from" semantics). Each type's
// effective properties, attributes, capabilities, requirements, interfaces and artifacts are its
// parent's with its own definitions merged over them. Parents are computed first.
import { mergeCapability, readCapabilityDefinition, type CapabilityDefinition } from './capability-definition';
import { readConstraints, type ConstraintClause } from './constraint-clause';
import { readArtifacts, type ArtifactDefinition } from './artifact-definition';
import { diag, DiagnosticBag } from './diagnostics';
import type { Diagnostic } from './model';
import { mergeInterfaces, readInterfaces, type InterfaceDefinition } from './interface-definition';
import type { Quirks } from './options';
import type { Hierarchies, TypeNode } from './phase3-hierarchies';
import { mergeProperty, readPropertySection, readSchema, type PropertyDefinition, type SchemaDefinition } from './property-definition';
import { mergeRequirements, readRequirementDefinitions, type RequirementDefinition } from './requirement-definition';
import { INTERFACE_TYPE_KEYS } from './type-definition';
import { here, join } from './where';
import { isYMap } from './yaml-tree';

export interface EffectiveType {
  node: TypeNode;
  properties: Map<string, PropertyDefinition>;
  attributes: Map<string, PropertyDefinition>;
  capabilities: Map<string, CapabilityDefinition>;
  requirements: RequirementDefinition[];
  interfaces: Map<string, InterfaceDefinition>;
  artifacts: Map<string, ArtifactDefinition>;
  /** Data types: constraints of this type and its ancestors. */
  constraints: ConstraintClause[];
  /** Data types derived from list/map: their entry schema. */
  entrySchema?: SchemaDefinition;
  /** Interface types: the operation names they declare (with ancestors'). */
  operationNames: Set<string>;
  /** Policy types: allowed target types; group types: allowed member types. */
  targets?: string[];
  members?: string[];
  validTargetTypes?: string[];
}

export interface Inheritance {
  h: Hierarchies;
  effective: Map<TypeNode, EffectiveType>;
}

function compute(node: TypeNode, parent: EffectiveType | undefined, quirks: Quirks, bag: DiagnosticBag): EffectiveType {
  const { def, unit, path, name } = node.entry;
  const file = unit.file;
  const props = new Map(parent?.properties);
  for (const p of readPropertySection(def.properties, join(path, 'properties'), name, file, quirks, bag)) props.set(p.name, mergeProperty(props.get(p.name), p));
  const attrs = new Map(parent?.attributes);
  for (const a of readPropertySection(def.attributes, join(path, 'attributes'), name, file, quirks, bag, true)) {
    const merged = mergeProperty(attrs.get(a.name), a);
    merged.required = false;
    attrs.set(a.name, merged);
  }
  for (const [k, d] of [...props, ...attrs]) {
    if (d.type === undefined) bag.add(diag.missingRequiredField(here(d.container, undefined, join(path, k), file), { field: 'type', where: `definition of ${k} in ${name}` }));
  }
  const caps = new Map(parent?.capabilities);
  if (isYMap(def.capabilities)) {
    for (const [capName, body] of Object.entries(def.capabilities)) {
      const c = readCapabilityDefinition(capName, body, def.capabilities, join(join(path, 'capabilities'), capName), name, file, bag);
      caps.set(capName, mergeCapability(caps.get(capName), c));
    }
  }
  const reqs = mergeRequirements(parent?.requirements ?? [], readRequirementDefinitions(def.requirements, join(path, 'requirements'), name, file, bag), bag);
  const ifaces = mergeInterfaces(parent?.interfaces ?? new Map(), readInterfaces(def.interfaces, join(path, 'interfaces'), file, bag));
  const arts = new Map([...(parent?.artifacts ?? []), ...readArtifacts(def.artifacts, join(path, 'artifacts'), file, bag)]);
  const out: EffectiveType = {
    node,
    properties: props,
    attributes: attrs,
    capabilities: caps,
    requirements: reqs,
    interfaces: ifaces,
    artifacts: arts,
    constraints: [...(parent?.constraints ?? []), ...readConstraints(def.constraints, join(path, 'constraints'), file, bag)],
    operationNames: new Set(parent?.operationNames),
  };
  const entry = def.entry_schema !== undefined ? readSchema(def.entry_schema, def, 'entry_schema', join(path, 'entry_schema'), file, bag) : parent?.entrySchema;
  if (entry) out.entrySchema = entry;
  if (node.kind === 'interface') {
    for (const key of Object.keys(def)) if (!INTERFACE_TYPE_KEYS.includes(key)) out.operationNames.add(key);
    if (isYMap(def.operations)) for (const key of Object.keys(def.operations)) out.operationNames.add(key);
  }
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);
  out.targets = list(def.targets) ?? parent?.targets;
  out.members = list(def.members) ?? parent?.members;
  out.validTargetTypes = list(def.valid_target_types) ?? parent?.validTargetTypes;
  return out;
}

// Type definitions of cached files are the same objects from compile to compile, so a type's
// effective definition is reused when its definition, its parent's effective definition and the
// quirks are unchanged (templates that define their own types still reuse the whole profile).
const memo = new WeakMap<object, { parent: EffectiveType | undefined; quirks: string; name: string; effective: EffectiveType; diagnostics: Diagnostic[] }>();

/** Phase 4: effective definitions of every type. */
export function inheritancePhase(h: Hierarchies, quirks: Quirks, bag: DiagnosticBag): Inheritance {
  const effective = new Map<TypeNode, EffectiveType>();
  const quirksKey = JSON.stringify(quirks);
  const get = (node: TypeNode): EffectiveType => {
    const hit = effective.get(node);
    if (hit) return hit;
    const parent = node.parent ? get(node.parent) : undefined;
    const cached = memo.get(node.entry.def);
    if (cached && cached.parent === parent && cached.quirks === quirksKey && cached.name === node.name && cached.effective.node.lineage.join() === node.lineage.join()) {
      for (const d of cached.diagnostics) bag.add(d);
      effective.set(node, cached.effective);
      return cached.effective;
    }
    const local = new DiagnosticBag();
    const e = compute(node, parent, quirks, local);
    for (const d of local.items) bag.add(d);
    memo.set(node.entry.def, { parent, quirks: quirksKey, name: node.name, effective: e, diagnostics: local.items });
    effective.set(node, e);
    return e;
  };
  for (const node of h.nodes.values()) get(node);
  return { h, effective };
}
