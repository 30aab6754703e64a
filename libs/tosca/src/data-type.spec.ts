import { describe, expect, it } from 'vitest';
import { compile } from './index';

const PORTS = `tosca_definitions_version: tosca_simple_yaml_1_3
node_types:
  MyNode:
    derived_from: tosca.nodes.Root
    properties:
      port: { type: tosca.datatypes.network.PortSpec }
topology_template:
  node_templates:
    below_default:
      type: MyNode
      properties: { port: { protocol: tcp, source: 0 } }
    above_range:
      type: MyNode
      properties: { port: { protocol: tcp, source: 65535, source_range: [ 2, 65534 ] } }
    below_range:
      type: MyNode
      properties: { port: { protocol: tcp, target: 1, target_range: [ 2, 65535 ] } }
    inside:
      type: MyNode
      properties: { port: { protocol: tcp, source: 80, source_range: [ 1, 1024 ], target: 8080, target_range: [ 1025, 65535 ] } }
`;

describe('complex data types', () => {
  it('keeps a PortSpec source and target within their ranges (TOSCA 1.3 §5.3.5)', async () => {
    const { diagnostics } = await compile({ text: PORTS, file: 'ports.yaml' });
    expect(diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.path, d.line])).toEqual([
      ['constraint_violation', 'topology_template.node_templates.below_default.properties.port.source', 11],
      ['constraint_violation', 'topology_template.node_templates.above_range.properties.port.source', 14],
      ['constraint_violation', 'topology_template.node_templates.below_range.properties.port.target', 17],
    ]);
    expect(diagnostics.find((d) => d.path.endsWith('above_range.properties.port.source'))?.message).toBe('"65535" violates the constraint within source_range [2, 65534]');
  });
});
