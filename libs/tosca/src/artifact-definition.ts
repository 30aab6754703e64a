// Artifact definitions (TOSCA 1.3 §3.6.7): `name: file` (short form, type inferred from the
// file extension is left to the orchestrator) or `{ type, file, repository, deploy_path, ... }`.
import { diag, type DiagnosticBag } from './diagnostics';
import { here, join } from './where';
import { isYMap, type YMap, type YValue } from './yaml-tree';

export interface ArtifactDefinition {
  name: string;
  type?: string;
  file?: YValue;
  repository?: string;
  deployPath?: string;
  properties: Record<string, YValue>;
  file_: string;
  container: YMap;
  path: string;
}

const KEYS = ['type', 'file', 'repository', 'description', 'deploy_path', 'properties', 'artifact_version', 'checksum', 'checksum_algorithm', 'metadata'];

/** Read an `artifacts:` section. */
export function readArtifacts(raw: YValue | undefined, path: string, file: string, bag: DiagnosticBag): Map<string, ArtifactDefinition> {
  const out = new Map<string, ArtifactDefinition>();
  if (raw === undefined || raw === null) return out;
  if (!isYMap(raw)) {
    bag.add(diag.wrongShape(here(raw, undefined, path, file), { what: 'artifacts', expected: 'a map', actual: typeof raw }));
    return out;
  }
  for (const [name, body] of Object.entries(raw)) {
    const p = join(path, name);
    const def: ArtifactDefinition = { name, properties: {}, file_: file, container: raw, path: p };
    if (typeof body === 'string') def.file = body;
    else if (isYMap(body)) {
      def.container = body;
      for (const key of Object.keys(body)) {
        if (!KEYS.includes(key)) bag.add(diag.unknownField(here(body, key, join(p, key), file, true), { field: key, where: `artifact ${name}`, allowed: KEYS }));
      }
      if (typeof body.type === 'string') def.type = body.type;
      // A missing `file` may be inherited from the type's artifact (1.3 §3.8.3); checked after merging.
      if (body.file !== undefined) def.file = body.file;
      if (typeof body.repository === 'string') def.repository = body.repository;
      if (typeof body.deploy_path === 'string') def.deployPath = body.deploy_path;
      if (isYMap(body.properties)) def.properties = body.properties;
    } else {
      bag.add(diag.wrongShape(here(raw, name, p, file), { what: `artifact ${name}`, expected: 'a file name or a map', actual: typeof body }));
      continue;
    }
    out.set(name, def);
  }
  return out;
}
