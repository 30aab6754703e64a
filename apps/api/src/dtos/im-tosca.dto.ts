// The TOSCA bodies of the IM API (grycap/im IM/rest/routers `parse_deployment`, Tosca.merge) and
// the template edits its VM operations become: IM takes TOSCA as `text/yaml`; its JSON and plain
// bodies are RADL, which baton does not serve (a TOSCA written as JSON is YAML too, and is taken).
import { HttpException } from '@nestjs/common';
import { isMap, isScalar, parse, parseDocument, stringify, type Document } from 'yaml';

const YAML_TYPES = ['text/yaml', 'text/x-yaml', 'application/yaml', 'application/x-yaml'];
const RADL_REFUSED = 'baton serves TOSCA only: send the template as text/yaml (RADL, plain or JSON, is not supported)';

const mediaType = (contentType: string | undefined): string => (contentType ?? '').split(';')[0].trim().toLowerCase();

/**
 * The TOSCA text of a request body; '' when there is none (reconfigure without a body). `sent`
 * says a body came: one of a type no parser reads (RADL without a content type) is refused.
 */
export function toscaFromBody(contentType: string | undefined, body: unknown, sent: boolean): string {
  const type = mediaType(contentType);
  const empty = body === undefined || body === null || body === '' || (isPlain(body) && Object.keys(body).length === 0);
  if (empty && sent && !YAML_TYPES.includes(type) && type !== 'application/json') throw new HttpException(`${RADL_REFUSED}; got ${type || 'no content type'}`, 415);
  if (empty) return '';
  if (YAML_TYPES.includes(type)) {
    if (typeof body !== 'string') throw new HttpException(RADL_REFUSED, 415);
    return body;
  }
  if (type === 'application/json' || type.endsWith('+json')) {
    // RADL JSON is a list of `{class: ...}`; a TOSCA document is an object with its version key.
    if (typeof body === 'object' && !Array.isArray(body) && 'tosca_definitions_version' in body) return stringify(body);
    throw new HttpException(RADL_REFUSED, 415);
  }
  throw new HttpException(`${RADL_REFUSED}; got ${type || 'no content type'}`, 415);
}

/** IM's Tosca.merge: maps merge key by key, lists item by item, anything else is replaced. */
function merge(into: unknown, from: unknown): unknown {
  if (from === undefined || from === null) return into;
  if (isPlain(into) && isPlain(from)) {
    const out: Record<string, unknown> = { ...into };
    for (const [k, v] of Object.entries(from)) out[k] = k in out ? merge(out[k], v) : v;
    return out;
  }
  if (Array.isArray(into) && Array.isArray(from)) {
    const out = [...into];
    from.forEach((v, i) => (out[i] = i < out.length ? merge(out[i], v) : v));
    return out;
  }
  return from;
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** POST /infrastructures/{id}: the stored template with the posted one merged in. */
export function mergeTosca(stored: string, posted: string): string {
  let add: unknown;
  try {
    add = parse(posted);
  } catch (error) {
    throw new HttpException(`Error parsing request body: ${error instanceof Error ? error.message : String(error)}`, 400);
  }
  if (!isPlain(add)) throw new HttpException('Error parsing request body: a TOSCA document is a map', 400);
  return stringify(merge(parse(stored), add));
}

/** IM VM numbers in a posted `removal_list` become the resource uuids the engine removes. */
export function removalFromTosca(posted: string, uuidOfVm: (vm: string) => string | undefined): string[] {
  const doc = parse(posted) as { topology_template?: { node_templates?: Record<string, { capabilities?: { scalable?: { properties?: { removal_list?: unknown } } } }> } } | null;
  const out: string[] = [];
  for (const node of Object.values(doc?.topology_template?.node_templates ?? {})) {
    const list = node?.capabilities?.scalable?.properties?.removal_list;
    if (Array.isArray(list)) for (const v of list) out.push(uuidOfVm(String(v)) ?? String(v));
  }
  return out;
}

/** Where a node's instance count is written; INDIGO types say `count`, normative ones `default_instances`. */
export type CountKey = 'count' | 'default_instances';

/**
 * The template with `node`'s instance count set to `count` (a `get_input` there becomes the
 * number, so a later change of that input does not bring the VMs back). Comments are kept.
 */
export function withInstanceCount(template: string, node: string, count: number, fallbackKey: CountKey): string {
  const doc: Document = parseDocument(template);
  const path = ['topology_template', 'node_templates', node, 'capabilities', 'scalable', 'properties'];
  const props = doc.getIn(path);
  const key: CountKey = isMap(props) && props.has('count') ? 'count' : isMap(props) && props.has('default_instances') ? 'default_instances' : fallbackKey;
  doc.setIn([...path, key], doc.createNode(count));
  const min = doc.getIn([...path, 'min_instances'], true);
  if (isScalar(min) && typeof min.value === 'number' && min.value > count) doc.setIn([...path, 'min_instances'], doc.createNode(count));
  return doc.toString();
}
