// Capability definitions in node types (TOSCA 1.3 §3.7.3.2 "Capability definition"):
// short form `name: Type` or `{ type, properties, attributes, valid_source_types, occurrences }`.
// Properties here are assignments/refinements over the capability type's definitions.
import { diag, type DiagnosticBag } from './diagnostics';
import { here, join } from './where';
import { isYMap, type YMap, type YValue } from './yaml-tree';

export interface CapabilityDefinition {
  name: string;
  type?: string;
  /** Values (or refinement maps) the node type sets on the capability's properties. */
  properties: Record<string, YValue>;
  propertiesContainer?: YMap;
  attributes: Record<string, YValue>;
  validSourceTypes?: string[];
  occurrences?: YValue;
  owner: string;
  file: string;
  container: YMap;
}

const KEYS = ['type', 'description', 'properties', 'attributes', 'valid_source_types', 'occurrences', 'metadata'];

export function readCapabilityDefinition(name: string, raw: YValue, section: YMap, path: string, owner: string, file: string, bag: DiagnosticBag): CapabilityDefinition {
  const def: CapabilityDefinition = { name, properties: {}, attributes: {}, owner, file, container: section };
  if (typeof raw === 'string') {
    def.type = raw;
    return def;
  }
  if (!isYMap(raw)) {
    bag.add(diag.wrongShape(here(section, name, path, file), { what: `capability ${name}`, expected: 'a type name or a map', actual: typeof raw }));
    return def;
  }
  for (const key of Object.keys(raw)) {
    if (!KEYS.includes(key)) bag.add(diag.unknownField(here(raw, key, join(path, key), file, true), { field: key, where: `capability definition ${name}`, allowed: KEYS }));
  }
  def.container = raw;
  if (typeof raw.type === 'string') def.type = raw.type;
  if (isYMap(raw.properties)) {
    def.properties = raw.properties;
    def.propertiesContainer = raw.properties;
  }
  if (isYMap(raw.attributes)) def.attributes = raw.attributes;
  if (Array.isArray(raw.valid_source_types)) def.validSourceTypes = raw.valid_source_types.filter((t): t is string => typeof t === 'string');
  if (raw.occurrences !== undefined) def.occurrences = raw.occurrences;
  return def;
}

/** Merge a node type's capability definition over the inherited one. */
export function mergeCapability(parent: CapabilityDefinition | undefined, child: CapabilityDefinition): CapabilityDefinition {
  if (!parent) return child;
  return {
    ...parent,
    ...child,
    type: child.type ?? parent.type,
    properties: { ...parent.properties, ...child.properties },
    attributes: { ...parent.attributes, ...child.attributes },
    validSourceTypes: child.validSourceTypes ?? parent.validSourceTypes,
    occurrences: child.occurrences ?? parent.occurrences,
  };
}
