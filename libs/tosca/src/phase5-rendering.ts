// Phase 5: rendering (STYLE.md rule 6; TOSCA 1.3 §3.9.3 topology template). Inputs, node
// templates with their properties, capabilities, requirements (matched to targets), operations
// and artifacts, relationships, groups, policies and outputs, with intrinsic functions evaluated.
// The result is the ServiceTopology of the output model; phase 6 adds scaling and the plan.
import { diag, type DiagnosticBag } from './diagnostics';
import { renderGroups, renderPolicies } from './group-definition';
import { renderInputs, isSecretInput } from './input-definition';
import type { CapabilityModel, InputModel, NodeTemplateModel, OutputModel, RelationshipModel, ServiceTopology, Value } from './model';
import { collectProperties, createNodeState } from './node-template';
import { renderArtifacts, renderOperations } from './operation-assignment';
import type { Quirks } from './options';
import type { Inheritance } from './phase4-inheritance';
import type { ReadOutput } from './phase1-read';
import { RenderContext, type NodeState, type ResolvedRequirement } from './render-context';
import { checkOccurrences, resolveRequirements } from './requirement-assignment';
import { checkSubstitutionInputs, checkSubstitutionMappings, exposedRequirements } from './substitution-mapping';
import { checkNestedInputs, importedSubstitutions } from './substitution-nesting';
import { here, join } from './where';
import { evaluate } from './intrinsic-functions';
import { isYMap, type YMap, type YValue } from './yaml-tree';
import { mergeInterfaces, readInterfaces } from './interface-definition';

const TOPOLOGY_KEYS = ['description', 'inputs', 'node_templates', 'relationship_templates', 'groups', 'policies', 'outputs', 'substitution_mappings', 'workflows'];

export interface RenderOptions {
  inputs: Record<string, Value>;
  quirks: Quirks;
  /** Required inputs without a value become warnings (validation before deployment). */
  deferMissingInputs: boolean;
}

export interface Rendered {
  topology: ServiceTopology;
}

function relationshipModel(r: RenderContext, node: NodeState, req: ResolvedRequirement): RelationshipModel | undefined {
  if (req.target === undefined || !req.relationship) return undefined;
  const rel = req.relationship;
  const body: YMap = req.relBody ?? {};
  const base = { self: node.name, source: node.name, target: req.target, inOutputs: false };
  const props = collectProperties(r, rel.properties, body.properties, [], join(req.relBodyPath, 'properties'), r.file, `relationship "${rel.node.name}" of requirement "${req.name}"`, false);
  const properties: Record<string, Value> = {};
  for (const [k, raw] of props) properties[k] = r.evalRaw(raw, base);
  let ifaces = rel.interfaces;
  if (req.def?.relationshipInterfaces) ifaces = mergeInterfaces(ifaces, readInterfaces(req.def.relationshipInterfaces, `${req.def.owner}.requirements.${req.name}.relationship.interfaces`, req.def.file, r.bag));
  const operations = renderOperations(r, ifaces, body.interfaces, join(req.relBodyPath, 'interfaces'), `relationship "${rel.node.name}"`, { ...base, relProps: properties }, {});
  return { requirement: req.name, target: req.target, capability: req.capability ?? '', type: rel.node.name, types: rel.node.lineage, properties, operations };
}

function nodeModel(r: RenderContext, node: NodeState): NodeTemplateModel | undefined {
  const type = node.type;
  if (!type) return undefined;
  const properties: Record<string, Value> = {};
  for (const name of node.props.keys()) {
    const got = r.property(node, name);
    if (got.found) properties[name] = got.value;
  }
  const attributes: Record<string, Value> = {};
  for (const [k, def] of type.attributes) if (def.hasDefault) attributes[k] = evaluate(def.default as YValue, { self: node.name, inOutputs: false, path: join(node.path, `attributes.${k}`), container: def.container, key: 'default', file: def.file }, r);
  if (isYMap(node.raw.attributes)) {
    for (const [k, v] of Object.entries(node.raw.attributes)) attributes[k] = evaluate(v, { self: node.name, inOutputs: false, path: join(node.path, `attributes.${k}`), container: node.raw.attributes, key: k, file: node.file }, r);
  }
  const capabilities: Record<string, CapabilityModel> = {};
  for (const [name, cap] of node.caps) {
    const values = r.capabilityValues(node, cap);
    const capAttrs: Record<string, Value> = {};
    for (const [k, v] of Object.entries(cap.attributes)) capAttrs[k] = evaluate(v, { self: node.name, inOutputs: false, path: join(node.path, `capabilities.${name}.attributes.${k}`), container: cap.attributes, key: k, file: node.file }, r);
    capabilities[name] = { name, type: cap.type?.node.name ?? cap.def.type ?? '', types: cap.type?.node.lineage ?? [], properties: Object.fromEntries(values), attributes: capAttrs };
  }
  const artifacts = renderArtifacts(r, type, node.raw.artifacts, join(node.path, 'artifacts'), node.name);
  const operations = renderOperations(r, type.interfaces, node.raw.interfaces, join(node.path, 'interfaces'), `node template "${node.name}"`, { self: node.name, inOutputs: false }, artifacts);
  const requirements = node.reqs.map((q) => relationshipModel(r, node, q)).filter((m): m is RelationshipModel => m !== undefined);
  const deferred = node.reqs.flatMap((q) => (q.deferred ? [q.deferred] : []));
  const where = here(node.raw, undefined, node.path, node.file);
  const model: NodeTemplateModel = {
    name: node.name,
    type: type.node.name,
    types: type.node.lineage,
    properties,
    attributes,
    capabilities,
    requirements,
    operations,
    artifacts,
    scaling: { count: 1, min: 1, max: 1, removalList: [] },
    source: { file: where.file, line: where.line, column: where.column },
  };
  if (typeof node.raw.description === 'string') model.description = node.raw.description;
  if (deferred.length > 0) model.deferredRequirements = deferred;
  return model;
}

function checkKeys(r: RenderContext, map: YMap, allowed: string[], path: string, what: string): void {
  for (const key of Object.keys(map)) if (!allowed.includes(key)) r.bag.add(diag.unknownField(here(map, key, join(path, key), r.file, true), { field: key, where: what, allowed }));
}

/** Phase 5: render the root unit's topology template. */
export function renderingPhase(read: ReadOutput, inh: Inheritance, options: RenderOptions, bag: DiagnosticBag): Rendered {
  const root = read.root;
  const r = new RenderContext(inh, options.quirks, bag, root.file);
  const doc = root.doc;
  const tt: YMap = isYMap(doc.topology_template) ? doc.topology_template : {};
  checkKeys(r, tt, TOPOLOGY_KEYS, 'topology_template', 'topology_template');
  checkSubstitutionMappings(tt.substitution_mappings, r.file, bag);
  renderInputs(r, tt.inputs, options.inputs, options.quirks, options.deferMissingInputs);
  r.exposed = exposedRequirements(tt.substitution_mappings);
  r.substitutions = importedSubstitutions(read.units, root);
  checkSubstitutionInputs(tt.substitution_mappings, r);

  const section = isYMap(tt.node_templates) ? tt.node_templates : {};
  for (const [name, raw] of Object.entries(section)) {
    const state = createNodeState(r, name, raw, section, `topology_template.node_templates.${name}`);
    if (state) r.nodes.set(name, state);
  }
  const relTemplates: YMap = isYMap(tt.relationship_templates) ? tt.relationship_templates : {};
  for (const node of r.nodes.values()) resolveRequirements(r, node, relTemplates);
  for (const node of r.nodes.values()) checkOccurrences(r, node);
  checkNestedInputs(r);

  const nodes: Record<string, NodeTemplateModel> = {};
  for (const node of r.nodes.values()) {
    const m = nodeModel(r, node);
    if (m) nodes[node.name] = m;
  }
  const groups = renderGroups(r, tt.groups);
  const policies = renderPolicies(r, tt.policies, new Set(Object.keys(groups)));

  const outputs: Record<string, OutputModel> = {};
  if (isYMap(tt.outputs)) {
    for (const [name, body] of Object.entries(tt.outputs)) {
      const path = `topology_template.outputs.${name}`;
      if (!isYMap(body) || !('value' in body)) {
        r.bag.add(diag.missingRequiredField(here(tt.outputs, name, path, r.file, true), { field: 'value', where: `output "${name}"` }));
        continue;
      }
      const reads = r.secretReads;
      const out: OutputModel = { name, value: evaluate(body.value, { inOutputs: true, path: join(path, 'value'), container: body, key: 'value', file: r.file }, r) };
      if (r.secretReads > reads) out.fromSecret = true;
      if (typeof body.description === 'string') out.description = body.description;
      outputs[name] = out;
    }
  }
  const inputs: Record<string, InputModel> = {};
  for (const [name, s] of r.inputs) {
    const m: InputModel = { name, type: s.def.type, required: s.def.required, secret: isSecretInput(name, s.def.type) };
    if (s.def.description !== undefined) m.description = s.def.description;
    if (s.hasValue) m.value = s.value;
    inputs[name] = m;
  }
  const metadata: Record<string, string> = {};
  if (isYMap(doc.metadata)) for (const [k, v] of Object.entries(doc.metadata)) if (v !== null && typeof v !== 'object') metadata[k] = String(v);
  for (const k of ['template_name', 'template_author', 'template_version']) if (typeof doc[k] === 'string' || typeof doc[k] === 'number') metadata[k] = String(doc[k]);
  const topology: ServiceTopology = { toscaDefinitionsVersion: read.version, metadata, inputs, nodes, groups, policies, outputs };
  const description = typeof doc.description === 'string' ? doc.description : typeof tt.description === 'string' ? tt.description : undefined;
  if (description !== undefined) topology.description = description;
  return { topology };
}
