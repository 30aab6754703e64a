// Scaling a running deployment, as INFN's "Manage nodes" does: the nodes of its template whose
// instance count comes from an input (`scalable.properties.count` or `default_instances` set to
// `{ get_input: NAME }`). Scale out is a PUT of the same template with that input plus one; scale
// in names the chosen instance's resource in the node's `removal_list` (TOSCA INDIGO profile),
// which the API removes first.
import { parseDocument } from 'yaml';

export interface ScalableNode {
  node: string;
  input: string;
  min: number;
  max: number;
}

export function scalableNodes(templateText: string): ScalableNode[] {
  let doc: unknown;
  try {
    doc = parseDocument(templateText).toJS();
  } catch {
    return [];
  }
  const nodes = (doc as { topology_template?: { node_templates?: Record<string, unknown> } } | null)?.topology_template?.node_templates ?? {};
  const out: ScalableNode[] = [];
  for (const [node, definition] of Object.entries(nodes)) {
    const props = (definition as { capabilities?: { scalable?: { properties?: Record<string, unknown> } } } | null)?.capabilities?.scalable?.properties;
    if (!props) continue;
    const source = [props.count, props.default_instances].find((v) => typeof v === 'object' && v !== null && typeof (v as { get_input?: unknown }).get_input === 'string');
    if (!source) continue;
    out.push({
      node,
      input: (source as { get_input: string }).get_input,
      min: typeof props.min_instances === 'number' ? props.min_instances : 0,
      max: typeof props.max_instances === 'number' ? props.max_instances : Number.MAX_SAFE_INTEGER,
    });
  }
  return out;
}

/** The template with `removal_list: [resourceIds]` on the node's scalable capability. */
export function withRemovalList(templateText: string, node: string, resourceIds: string[]): string {
  const doc = parseDocument(templateText);
  doc.setIn(['topology_template', 'node_templates', node, 'capabilities', 'scalable', 'properties', 'removal_list'], resourceIds);
  return doc.toString();
}
