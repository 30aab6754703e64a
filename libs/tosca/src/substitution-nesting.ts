// Nested substitution (TOSCA 1.3 §2.10, §3.8.13): a node template whose type is the `node_type`
// of an imported file's substitution_mappings is realised by that file's topology. Its mapped
// capabilities get their values inside (so their required properties are not owed outside),
// its requirements are fulfilled inside or exposed (so their occurrences are not owed outside),
// and the imported topology's inputs are fed by the node's properties of the same name, so an
// input the node leaves without a value must have a default there (§3.8.13.2).
import { diag } from './diagnostics';
import type { Unit } from './phase1-read';
import type { RenderContext } from './render-context';
import { here } from './where';
import { isYMap, type YMap } from './yaml-tree';

/** One imported topology that can stand in for node templates of its `node_type`. */
export interface Substitution {
  nodeType: string;
  file: string;
  /** Capability names of the substituted type mapped into the topology. */
  capabilities: Set<string>;
  requirements: Set<string>;
  inputs: YMap;
  mappings: YMap;
}

/** The substitution_mappings of every imported file (not the root's own: that one is the root's interface). */
export function importedSubstitutions(units: Unit[], root: Unit): Substitution[] {
  const out: Substitution[] = [];
  for (const unit of units) {
    if (unit === root) continue;
    const tt = unit.doc.topology_template;
    const sm = isYMap(tt) ? tt.substitution_mappings : undefined;
    if (!isYMap(tt) || !isYMap(sm) || typeof sm.node_type !== 'string') continue;
    out.push({
      nodeType: sm.node_type,
      file: unit.file,
      capabilities: new Set(isYMap(sm.capabilities) ? Object.keys(sm.capabilities) : []),
      requirements: new Set(isYMap(sm.requirements) ? Object.keys(sm.requirements) : []),
      inputs: isYMap(tt.inputs) ? tt.inputs : {},
      mappings: sm,
    });
  }
  return out;
}

/** The substitution that realises a node template of `typeName`, if any (its type or an ancestor is the node_type). */
export function substitutionFor(r: RenderContext, typeName: string): Substitution | undefined {
  const type = r.type('node', typeName);
  if (!type) return undefined;
  return r.substitutions.find((s) => r.derives('node', type, s.nodeType));
}

/**
 * §3.8.13.2, for every imported substitution: each required property of its node type without a
 * default has an input of the same name there; and for each node template it realises, every
 * input of the inner topology without a default is fed by a property of the node.
 */
export function checkNestedInputs(r: RenderContext): void {
  for (const sub of r.substitutions) {
    const type = r.type('node', sub.nodeType);
    if (!type) {
      r.bag.add(diag.unknownType(here(sub.mappings, 'node_type', 'topology_template.substitution_mappings.node_type', sub.file), { name: sub.nodeType, kind: 'node' }));
      continue;
    }
    for (const [name, def] of type.properties) {
      if (def.required && !def.hasDefault && !(name in sub.inputs)) {
        r.bag.add(diag.missingSubstitutionInput(here(sub.mappings, 'node_type', 'topology_template.substitution_mappings', sub.file, false, type.node.name), { name, nodeType: type.node.name }));
      }
    }
  }
  for (const node of r.nodes.values()) {
    const sub = node.type ? substitutionFor(r, node.type.node.name) : undefined;
    if (!sub) continue;
    for (const [name, def] of Object.entries(sub.inputs)) {
      if (!isYMap(def) || 'default' in def || def.required === false || node.props.has(name)) continue;
      r.bag.add(diag.missingRequiredInput(here(sub.inputs, name, `topology_template.inputs.${name}`, sub.file, true), { name }));
    }
  }
}
