// Requirement matching (TOSCA 1.3 §3.8.2): node_filter-only requirements that no template
// fulfils are left to the orchestrator, and a dangling requirement never picks a target that
// would close a dependency cycle.
import { describe, expect, it } from 'vitest';
import { compileTemplate } from './compile';

const codes = (ds: { code: string; severity: string; line: number; column: number }[]) => ds.map((d) => `${d.severity}[${d.code}] ${d.line}:${d.column}`);

describe('requirements with only a node_filter', () => {
  const template = (servers: string) => `tosca_definitions_version: tosca_simple_yaml_1_0
topology_template:
  node_templates:
    db:
      type: tosca.nodes.DBMS
      requirements:
        - host:
            node_filter:
              capabilities:
                - host:
                    properties:
                      - num_cpus: { in_range: [ 1, 4 ] }
                      - mem_size: { greater_or_equal: 2 GB }
${servers}`;

  it('picks the template whose capability properties pass the filter', async () => {
    const r = await compileTemplate({
      text: template(`    small:
      type: tosca.nodes.Compute
      capabilities: { host: { properties: { num_cpus: 1, mem_size: 1 GB } } }
    big:
      type: tosca.nodes.Compute
      capabilities: { host: { properties: { num_cpus: 2, mem_size: 4 GB } } }
`),
      file: 'filter.yaml',
    });
    expect(codes(r.diagnostics)).toEqual([]);
    expect(r.topology!.nodes.db.requirements.map((q) => q.target)).toEqual(['big']);
    expect(r.topology!.nodes.db.deferredRequirements).toBeUndefined();
  });

  it('leaves the requirement to the orchestrator, with its filter, when no template matches', async () => {
    const r = await compileTemplate({
      text: template(`    small:
      type: tosca.nodes.Compute
      capabilities: { host: { properties: { num_cpus: 8, mem_size: 1 GB } } }
`),
      file: 'filter.yaml',
    });
    expect(codes(r.diagnostics)).toEqual(['warning[requirement_deferred] 7:11']);
    const db = r.topology!.nodes.db;
    expect(db.requirements).toEqual([]);
    expect(db.deferredRequirements).toEqual([
      {
        requirement: 'host',
        capability: 'tosca.capabilities.Container',
        node: 'tosca.nodes.Compute',
        relationship: 'tosca.relationships.HostedOn',
        nodeFilter: { capabilities: [{ host: { properties: [{ num_cpus: { in_range: [1, 4] } }, { mem_size: { greater_or_equal: '2 GB' } }] } }] },
      },
    ]);
    expect(r.plan!.edges).toEqual([]);
  });

  it('still rejects a requirement naming neither a node nor a filter that nothing fulfils', async () => {
    const r = await compileTemplate({
      text: `tosca_definitions_version: tosca_simple_yaml_1_0
topology_template:
  node_templates:
    db:
      type: tosca.nodes.DBMS
      requirements:
        - host: { capability: tosca.capabilities.Container }
`,
      file: 'nofilter.yaml',
    });
    expect(codes(r.diagnostics)).toEqual(['error[requirement_unresolved] 7:11']);
  });
});

describe('dangling requirements', () => {
  const peers = `tosca_definitions_version: tosca_simple_yaml_1_3
capability_types:
  Ingress: {}
relationship_types:
  Connection: {}
node_types:
  Peer:
    capabilities: { ingress: Ingress }
    requirements:
      - egress: { capability: Ingress, relationship: Connection }
topology_template:
  node_templates:
    a:
      type: Peer
    b:
      type: Peer
      requirements:
        - egress: a
`;

  it('passes over a target that already depends on the node, and defers when none is left', async () => {
    const r = await compileTemplate({ text: peers, file: 'peers.yaml' });
    expect(codes(r.diagnostics)).toEqual(['warning[requirement_deferred] 14:13']);
    expect(r.topology!.nodes.a.deferredRequirements?.map((d) => d.requirement)).toEqual(['egress']);
    expect(r.plan!.cycle).toBeUndefined();
    expect(r.plan!.edges.map((e) => `${e.from}->${e.to}`)).toEqual(['b_0->a_0']);
  });

  it('fulfils the dangling requirement with a target outside the cycle when there is one', async () => {
    const withSink = peers.replace('node_types:\n', 'node_types:\n  Sink:\n    capabilities: { ingress: Ingress }\n') + '    sink:\n      type: Sink\n';
    const r = await compileTemplate({ text: withSink, file: 'peers.yaml' });
    expect(codes(r.diagnostics)).toEqual([]);
    expect(r.topology!.nodes.a.requirements.map((q) => q.target)).toEqual(['sink']);
    expect(r.plan!.cycle).toBeUndefined();
  });
});
