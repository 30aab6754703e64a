// The catalogue: the ready templates of a folder (the repo's `templates/`), read once at start.
// Like the INFN dashboard (reference §4) it shows each template's `metadata` and `description`
// and builds its form from `topology_template.inputs`; unlike it, there is no settings repo of
// parameter overrides: the template is the one source. A file that is not a TOSCA service
// template (no `topology_template`) is left out.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load, YAML11_SCHEMA } from 'js-yaml';
import { asText, inputFields, type InputField } from './input-fields';

export interface CatalogueTemplate {
  /** The file name without its extension: the template's address in the dashboard. */
  key: string;
  file: string;
  /** The template text, as POSTed to the API. */
  text: string;
  title: string;
  description: string;
  /** `metadata` scalars (display_name, tag, template_author...), as text. */
  metadata: Record<string, string>;
  fields: InputField[];
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function readCatalogue(dir: string): CatalogueTemplate[] {
  const files = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => e.name)
    .sort();
  const out: CatalogueTemplate[] = [];
  for (const name of files) {
    const key = name.replace(/\.ya?ml$/, '');
    if (!KEY.test(key)) continue;
    const text = readFileSync(join(dir, name), 'utf8');
    const entry = catalogueEntry(key, name, text);
    if (entry) out.push(entry);
  }
  return out;
}

export function catalogueEntry(key: string, file: string, text: string): CatalogueTemplate | undefined {
  let doc: unknown;
  try {
    // YAML 1.1, as the compiler reads templates (a `yes` default is a boolean there too).
    doc = load(text, { schema: YAML11_SCHEMA });
  } catch {
    return undefined;
  }
  if (!isRecord(doc) || !isRecord(doc.topology_template)) return undefined;
  const metadata: Record<string, string> = {};
  if (isRecord(doc.metadata)) {
    for (const [k, v] of Object.entries(doc.metadata)) if (v !== null && typeof v !== 'object') metadata[k] = asText(v);
  }
  return {
    key,
    file,
    text,
    title: metadata.display_name ?? metadata.template_name ?? key,
    description: typeof doc.description === 'string' ? doc.description.trim() : '',
    metadata,
    fields: inputFields(doc.topology_template.inputs),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
