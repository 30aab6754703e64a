// The catalogue: the ready templates of a folder (the repo's `templates/`), read once at start.
// Like the INFN dashboard it shows each template's `metadata` and `description`, merged with the
// INFN-style files beside it: NAME.metadata.yml (display name, icon, tags, visibility) and
// NAME.parameters.yml (tabs, and per input its tab, label, help and widget), both checked against
// the schema of catalogue-files.schema.ts. A file that is not a TOSCA service template (no
// `topology_template`) is left out; a side file that fails its schema is left out, with a warning.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { load, YAML11_SCHEMA } from 'js-yaml';
import { METADATA_FILE_SCHEMA, PARAMETERS_FILE_SCHEMA } from './catalogue-files.schema';
import { asText, inputFields, type InputField } from './input-fields';

export interface CatalogueTemplate {
  /** The file name without its extension: the template's address in the dashboard. */
  key: string;
  file: string;
  /** The template text, as POSTed to the API. */
  text: string;
  title: string;
  description: string;
  /** `metadata` scalars (display_name, tag, template_author...), as text, the metadata file's over the template's. */
  metadata: Record<string, string>;
  tags: string[];
  /** An icon file of the templates folder, or null (the card shows the title's initial). */
  icon: string | null;
  /** null = everyone; otherwise the groups that see it. */
  visibleTo: string[] | null;
  /** The form's tabs, in order (the parameters file's, else one); "Advanced" is added by the page. */
  tabs: string[];
  fields: InputField[];
}

export interface CatalogueRead {
  templates: CatalogueTemplate[];
  /** Side files refused by the schema, each with its errors. */
  warnings: string[];
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
export const DEFAULT_TAB = 'Configuration';

const ajv = new Ajv({ allErrors: true, strict: false });
const checkMetadata = ajv.compile(METADATA_FILE_SCHEMA);
const checkParameters = ajv.compile(PARAMETERS_FILE_SCHEMA);

export function readCatalogue(dir: string): CatalogueRead {
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name) && !/\.(metadata|parameters)\.ya?ml$/.test(e.name))
    .map((e) => e.name)
    .sort();
  const read: CatalogueRead = { templates: [], warnings: [] };
  for (const name of files) {
    const key = name.replace(/\.ya?ml$/, '');
    if (!KEY.test(key)) continue;
    const side = (kind: 'metadata' | 'parameters'): SideFile | undefined => {
      const path = [`${key}.${kind}.yml`, `${key}.${kind}.yaml`].map((f) => join(dir, f)).find((p) => existsSync(p));
      return path ? { path, text: readFileSync(path, 'utf8') } : undefined;
    };
    const entry = catalogueEntry(key, name, readFileSync(join(dir, name), 'utf8'), side('metadata'), side('parameters'), read.warnings);
    if (entry) read.templates.push(entry);
  }
  return read;
}

interface SideFile {
  path: string;
  text: string;
}

export function catalogueEntry(key: string, file: string, text: string, metadataFile?: SideFile, parametersFile?: SideFile, warnings: string[] = []): CatalogueTemplate | undefined {
  const doc = yamlOf(text);
  if (!isRecord(doc) || !isRecord(doc.topology_template)) return undefined;
  const metaDoc = checked(metadataFile, checkMetadata, warnings) as { metadata: Record<string, unknown> } | undefined;
  const paramsDoc = checked(parametersFile, checkParameters, warnings) as { tabs?: string[]; inputs?: Record<string, Record<string, unknown>> } | undefined;
  const rawMetadata: Record<string, unknown> = { ...(isRecord(doc.metadata) ? doc.metadata : {}), ...(metaDoc?.metadata ?? {}) };
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(rawMetadata)) if (v !== null && typeof v !== 'object') metadata[k] = asText(v);
  const visibility = isRecord(rawMetadata.visibility) ? rawMetadata.visibility : undefined;
  const tags = [...(Array.isArray(rawMetadata.tags) ? rawMetadata.tags.map(asText) : []), ...(metadata.tag ? [metadata.tag] : [])];
  const tabs = paramsDoc?.tabs && paramsDoc.tabs.length > 0 ? paramsDoc.tabs : [DEFAULT_TAB];
  return {
    key,
    file,
    text,
    title: metadata.display_name ?? metadata.template_name ?? key,
    description: metadata.description ?? (typeof doc.description === 'string' ? doc.description.trim() : ''),
    metadata,
    tags: [...new Set(tags)],
    icon: metadata.icon ?? null,
    visibleTo: visibility?.type === 'private' ? (Array.isArray(visibility.groups) ? visibility.groups.map(asText) : []) : null,
    tabs,
    fields: inputFields(doc.topology_template.inputs, paramsDoc?.inputs ?? {}, tabs[0]),
  };
}

/** Whether a user acting for `group` sees the template (an admin sees every one). */
export function visibleFor(template: CatalogueTemplate, group: string | null, admin: boolean): boolean {
  return template.visibleTo === null || admin || (group !== null && template.visibleTo.includes(group));
}

function checked(file: SideFile | undefined, check: ReturnType<typeof ajv.compile>, warnings: string[]): unknown {
  if (!file) return undefined;
  const doc = yamlOf(file.text);
  if (doc === undefined) {
    warnings.push(`${file.path}: not YAML`);
    return undefined;
  }
  if (check(doc)) return doc;
  warnings.push(`${file.path}: ${(check.errors ?? []).map(describe).join('; ')}`);
  return undefined;
}

function describe(e: ErrorObject): string {
  return `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`;
}

function yamlOf(text: string): unknown {
  try {
    // YAML 1.1, as the compiler reads templates (a `yes` default is a boolean there too).
    return load(text, { schema: YAML11_SCHEMA });
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
