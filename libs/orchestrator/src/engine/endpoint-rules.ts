// Security-group rules and public exposure from a Compute node's `endpoint` capability (TOSCA
// §5.4.7 Endpoint, INDIGO `ports` map and `network_name: PUBLIC`).
import type { NodeTemplateModel, RelationshipModel, ServiceTopology, Value } from '@lib/tosca';
import type { PortRule } from '../cloud.port';
import { isHostedOn } from './instance-lookup';

function portNumber(v: Value | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^[0-9]+$/.test(v)) return Number(v);
  return undefined;
}

function protocolOf(v: Value | undefined): PortRule['protocol'] {
  return v === 'udp' || v === 'icmp' ? v : 'tcp';
}

/** SSH always (configuration and the user's access), plus every declared port. */
export function securityRules(node: NodeTemplateModel): PortRule[] {
  const rules: PortRule[] = [{ protocol: 'tcp', portMin: 22, portMax: 22, remoteCidr: '0.0.0.0/0' }];
  const p = node.capabilities.endpoint?.properties ?? {};
  const ports = p.ports;
  const add = (spec: Record<string, Value>) => {
    const source = portNumber(spec.source) ?? portNumber(spec.target) ?? portNumber(spec.port);
    const range = Array.isArray(spec.source_range) ? spec.source_range.map(portNumber) : [];
    const min = range[0] ?? source;
    const max = range[1] ?? source;
    if (min === undefined || max === undefined) return;
    rules.push({ protocol: protocolOf(spec.protocol), portMin: min, portMax: max, remoteCidr: typeof spec.remote_cidr === 'string' ? spec.remote_cidr : '0.0.0.0/0' });
  };
  if (ports && typeof ports === 'object' && !Array.isArray(ports)) {
    for (const spec of Object.values(ports)) if (spec && typeof spec === 'object' && !Array.isArray(spec)) add(spec as Record<string, Value>);
  } else if (Array.isArray(ports)) {
    for (const spec of ports) if (spec && typeof spec === 'object' && !Array.isArray(spec)) add(spec as Record<string, Value>);
  }
  if (portNumber(p.port) !== undefined) add({ port: p.port, protocol: p.protocol ?? 'tcp' });
  const seen = new Set<string>();
  return rules.filter((r) => {
    const key = `${r.protocol}:${r.portMin}-${r.portMax}:${r.remoteCidr}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

export function isPublic(node: NodeTemplateModel): boolean {
  const cap = node.capabilities.endpoint;
  if (!cap) return false;
  const net = cap.properties.network_name;
  return (typeof net === 'string' && net.toUpperCase() === 'PUBLIC') || cap.types.includes('tosca.capabilities.Endpoint.Public');
}

export function isCompute(node: NodeTemplateModel): boolean {
  return node.types.includes('tosca.nodes.Compute');
}

export function isBlockStorage(node: NodeTemplateModel): boolean {
  return node.types.some((t) => t === 'tosca.nodes.BlockStorage' || t === 'tosca.nodes.Storage.BlockStorage');
}

export function hasImplementedOperations(node: NodeTemplateModel): boolean {
  return node.operations.some((o) => o.implementation) || node.requirements.some((r) => r.operations.some((o) => o.implementation));
}

/** Compute templates that something configures over SSH (itself, or a node hosted on it). */
export function templatesNeedingSsh(topology: ServiceTopology): Set<string> {
  const out = new Set<string>();
  for (const node of Object.values(topology.nodes)) {
    if (!hasImplementedOperations(node)) continue;
    let current: NodeTemplateModel | undefined = node;
    const seen = new Set<string>();
    while (current && !seen.has(current.name)) {
      seen.add(current.name);
      if (isCompute(current)) {
        out.add(current.name);
        break;
      }
      const host: RelationshipModel | undefined = current.requirements.find((r) => isHostedOn({ requirement: r.requirement, relationship: r.type, target: r.target }) || r.types.includes('tosca.relationships.HostedOn'));
      current = host ? topology.nodes[host.target] : undefined;
    }
  }
  return out;
}
