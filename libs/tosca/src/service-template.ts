// Service template (TOSCA Simple Profile 1.3 §3.9 "Service Template definition"; 1.0 §3.9):
// the top-level keys of a TOSCA file and its tosca_definitions_version.
import { diag, type DiagnosticBag } from './diagnostics';
import { here } from './where';
import { isYMap, type YMap } from './yaml-tree';

export const TOSCA_VERSIONS = ['tosca_simple_yaml_1_0', 'tosca_simple_yaml_1_1', 'tosca_simple_yaml_1_2', 'tosca_simple_yaml_1_3'] as const;

const KEYS_1_0 = [
  'tosca_definitions_version',
  'tosca_default_namespace',
  'template_name',
  'template_author',
  'template_version',
  'metadata',
  'description',
  'dsl_definitions',
  'repositories',
  'imports',
  'artifact_types',
  'data_types',
  'capability_types',
  'interface_types',
  'relationship_types',
  'node_types',
  'group_types',
  'policy_types',
  'topology_template',
] as const;
// `namespace` arrived in 1.2 (§3.9.1); tosca-parser rejects it, the OASIS profiles use it.
const KEYS_1_2 = [...KEYS_1_0, 'namespace'];

/** Top-level keys allowed for a version. */
export function topLevelKeys(_version: string): readonly string[] {
  // The OASIS TC's own 1.0 and 1.1 profile files carry `namespace`; accepted for every version.
  return KEYS_1_2;
}

/** Check the top-level keys of `doc` and return its version string (or undefined when missing). */
export function checkServiceTemplate(
  doc: YMap,
  file: string,
  knownVersions: readonly string[],
  bag: DiagnosticBag,
  versionOptional: boolean,
): string | undefined {
  const raw = doc.tosca_definitions_version;
  let version: string | undefined;
  if (raw === undefined || raw === null) {
    if (!versionOptional) bag.add(diag.missingDefinitionsVersion(here(doc, undefined, '', file)));
  } else if (typeof raw !== 'string' || !knownVersions.includes(raw)) {
    bag.add(
      diag.invalidDefinitionsVersion(here(doc, 'tosca_definitions_version', 'tosca_definitions_version', file), {
        version: String(raw),
        valid: [...knownVersions],
      }),
    );
  } else {
    version = raw;
  }
  const allowed = topLevelKeys(version ?? 'tosca_simple_yaml_1_3');
  for (const key of Object.keys(doc)) {
    if (!allowed.includes(key)) bag.add(diag.unknownField(here(doc, key, key, file, true), { field: key, where: 'the service template', allowed }));
  }
  const topology = doc.topology_template;
  if (topology !== undefined && topology !== null && !isYMap(topology)) {
    bag.add(diag.wrongShape(here(doc, 'topology_template', 'topology_template', file), { what: 'topology_template', expected: 'a map', actual: typeof topology }));
  }
  return version;
}
