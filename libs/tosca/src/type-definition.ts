// Type definitions (TOSCA 1.3 §3.7: node §3.7.1, relationship §3.7.2, capability §3.7.3,
// data §3.7.6, artifact §3.7.4, interface §3.7.5, group §3.7.7, policy §3.7.8): the keys each
// kind of type may carry. Interface types may hold operations under any name (1.0 style).
import { diag, type DiagnosticBag } from './diagnostics';
import type { TypeEntry, TypeKind } from './phase2-namespaces';
import { here, join } from './where';

const COMMON = ['derived_from', 'version', 'metadata', 'description'];

const KEYS: Record<TypeKind, readonly string[] | null> = {
  node: [...COMMON, 'properties', 'attributes', 'requirements', 'capabilities', 'interfaces', 'artifacts'],
  relationship: [...COMMON, 'properties', 'attributes', 'interfaces', 'valid_target_types'],
  capability: [...COMMON, 'properties', 'attributes', 'valid_source_types'],
  data: [...COMMON, 'properties', 'constraints', 'key_schema', 'entry_schema'],
  artifact: [...COMMON, 'mime_type', 'file_ext', 'properties'],
  interface: null,
  policy: [...COMMON, 'properties', 'targets', 'triggers'],
  group: [...COMMON, 'properties', 'attributes', 'members', 'requirements', 'capabilities', 'interfaces'],
};

/** Report keys a type definition of this kind may not have. */
export function checkTypeDefinitionKeys(entry: TypeEntry, bag: DiagnosticBag): void {
  const allowed = KEYS[entry.kind];
  if (!allowed) return;
  for (const key of Object.keys(entry.def)) {
    if (!allowed.includes(key)) {
      bag.add(
        diag.unknownField(here(entry.def, key, join(entry.path, key), entry.unit.file, true), {
          field: key,
          where: `${entry.kind} type "${entry.name}"`,
          allowed,
        }),
      );
    }
  }
}

/** Keys of an interface type that are not operations. */
export const INTERFACE_TYPE_KEYS = [...COMMON, 'inputs', 'operations', 'notifications'];
