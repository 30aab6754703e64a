// The hosts of IM's contract from the deployment's run-time graph: every Compute instance that
// has an SSH endpoint, numbered in creation order (IM_NODE_NUM is stable across a scale-out:
// a new instance takes the next number; one removed leaves its number unused until then).
import type { InstanceGraph } from '../engine/instance-lookup';
import type { ImHost } from './im-contract';

export function imHostsOf(graph: InstanceGraph, defaultUser: string): ImHost[] {
  // Rows made together (one create) share their time: then template order, then index.
  const order = Object.keys(graph.topology.nodes);
  const computes = graph.resources
    .filter((r) => r.nodeTypes.includes('tosca.nodes.Compute'))
    .sort((a, b) => new Date(a.createdAt).getTime() - new Date(b.createdAt).getTime() || order.indexOf(a.nodeName) - order.indexOf(b.nodeName) || a.index - b.index);
  const hosts: ImHost[] = [];
  computes.forEach((row, num) => {
    const ssh = row.attributes.ssh_endpoint as { host: string; port: number } | null | undefined;
    if (!ssh) return;
    const dns = graph.topology.nodes[row.nodeName]?.capabilities.endpoint?.properties.dns_name;
    const str = (v: unknown) => (typeof v === 'string' && v ? v : null);
    hosts.push({
      name: row.instanceId,
      template: row.nodeName,
      num,
      privateIp: str(row.attributes.private_address),
      publicIp: str(row.attributes.public_address),
      ...(typeof dns === 'string' && dns ? { dnsName: dns } : {}),
      ...(str(row.attributes.tosca_id) ? { vmId: String(row.attributes.tosca_id) } : {}),
      cloudType: 'OpenStack',
      ssh: { host: ssh.host, port: ssh.port, user: (row.attributes.ssh_user as string | undefined) ?? defaultUser },
    });
  });
  return hosts;
}
