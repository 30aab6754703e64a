// Run-time values of the deployment, seen from one node instance: what get_attribute and
// get_operation_output read (TOSCA §4.5-4.6, entity keywords SELF, SOURCE, TARGET, HOST).
import type { ServiceTopology, Value } from '@lib/tosca';
import type { ResourceRow } from '../store.port';
import type { InstanceRequirement } from '../workflow/step-spec';
import type { ResolveContext } from './value-resolver';

export const OUTPUTS_KEY = '__outputs';

export interface InstanceGraph {
  topology: ServiceTopology;
  resources: ResourceRow[];
  /** Requirements per actual instance id. */
  requirements: Map<string, InstanceRequirement[]>;
}

export function isHostedOn(r: InstanceRequirement): boolean {
  return r.relationship === 'tosca.relationships.HostedOn' || r.relationship.endsWith('HostedOn') || r.requirement === 'host';
}

/** Follows HostedOn from `instanceId` to the first instance whose node derives from Compute. */
export function hostOf(graph: InstanceGraph, instanceId: string): ResourceRow | undefined {
  const seen = new Set<string>();
  let current = instanceId;
  while (!seen.has(current)) {
    seen.add(current);
    const row = graph.resources.find((r) => r.instanceId === current);
    if (row && row.nodeTypes.includes('tosca.nodes.Compute')) return row;
    const next = graph.requirements.get(current)?.find(isHostedOn);
    if (!next) return undefined;
    current = next.target;
  }
  return undefined;
}

function staticValue(v: Value | undefined): unknown {
  if (v === undefined) return undefined;
  return JSON.stringify(v).includes('"$deferred"') ? undefined : v;
}

function readAttribute(graph: InstanceGraph, row: ResourceRow, attribute: string, capability?: string): unknown {
  const a = row.attributes;
  if (capability && a[`${capability}.${attribute}`] !== undefined) return a[`${capability}.${attribute}`];
  if (a[attribute] !== undefined) return a[attribute];
  const node = graph.topology.nodes[row.nodeName];
  if (!node) return undefined;
  if (capability) {
    const cap = node.capabilities[capability];
    const v = staticValue(cap?.attributes[attribute]) ?? staticValue(cap?.properties[attribute]);
    if (v !== undefined) return v;
  }
  return staticValue(node.attributes[attribute]) ?? staticValue(node.properties[attribute]);
}

/**
 * A resolver for values seen from `self` (an instance id; undefined for outputs) and, inside a
 * relationship operation, its `target`. A node name with several instances resolves to the
 * instance with the same index as `self` when there is one, else to the list of all values.
 */
export function resolveContextFor(graph: InstanceGraph, self?: string, target?: string): ResolveContext {
  const selfRow = self ? graph.resources.find((r) => r.instanceId === self) : undefined;
  const rowsOf = (entity: string): ResourceRow[] | ResourceRow | undefined => {
    switch (entity) {
      case 'SELF':
      case 'SOURCE':
        return selfRow;
      case 'TARGET':
        return target ? graph.resources.find((r) => r.instanceId === target) : undefined;
      case 'HOST':
        return self ? hostOf(graph, self) : undefined;
      default: {
        const all = graph.resources.filter((r) => r.nodeName === entity).sort((a, b) => a.index - b.index);
        if (all.length <= 1) return all[0];
        const same = selfRow ? all.find((r) => r.index === selfRow.index) : undefined;
        return same ?? all;
      }
    }
  };
  const read = (entity: string, f: (row: ResourceRow) => unknown): unknown => {
    const rows = rowsOf(entity);
    if (rows === undefined) return undefined;
    if (Array.isArray(rows)) {
      const values = rows.map(f);
      return values.some((v) => v === undefined) ? undefined : values;
    }
    return f(rows);
  };
  return {
    attribute: (entity, attribute, cap) => read(entity, (row) => readAttribute(graph, row, attribute, cap)),
    operationOutput: (entity, iface, operation, output) =>
      read(entity, (row) => {
        const outputs = (row.attributes[OUTPUTS_KEY] ?? {}) as Record<string, Record<string, unknown>>;
        const short = iface.split('.').pop() ?? iface;
        return (outputs[`${iface}.${operation}`] ?? outputs[`${short}.${operation}`] ?? outputs[`Standard.${operation}`])?.[output];
      }),
  };
}
