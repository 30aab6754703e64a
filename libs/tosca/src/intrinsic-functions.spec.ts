// get_nodes_of_type (TOSCA 1.3 §4.7.1) and get_property through a requirement (§4.5.2).
import { describe, expect, it } from 'vitest';
import { compileTemplate } from './compile';

const head = `tosca_definitions_version: tosca_simple_yaml_1_3
node_types:
  Base:
    derived_from: tosca.nodes.Root
    properties:
      names: { type: list, entry_schema: string, required: false }
  Child:
    derived_from: Base
`;

describe('get_nodes_of_type', () => {
  it('lists the templates of the type and of its descendants', async () => {
    const r = await compileTemplate({
      text: `${head}topology_template:
  node_templates:
    a: { type: Base, properties: { names: { get_nodes_of_type: Base } } }
    b: { type: Child, properties: { names: { get_nodes_of_type: Child } } }
    c: { type: tosca.nodes.Root }
`,
      file: 'nodes.yaml',
    });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.topology!.nodes.a.properties.names).toEqual(['a', 'b']);
    expect(r.topology!.nodes.b.properties.names).toEqual(['b']);
  });

  it('rejects an unknown type and a bad argument, with their positions', async () => {
    const r = await compileTemplate({
      text: `${head}topology_template:
  node_templates:
    a: { type: Base, properties: { names: { get_nodes_of_type: Nope } } }
    b: { type: Base, properties: { names: { get_nodes_of_type: [ Base, Child ] } } }
`,
      file: 'nodes.yaml',
    });
    expect(r.diagnostics.map((d) => `${d.code} ${d.path} ${d.line}:${d.column}`)).toEqual([
      'unknown_type topology_template.node_templates.a.properties.names 11:43',
      'invalid_function topology_template.node_templates.b.properties.names 12:43',
    ]);
  });
});

describe('get_property through a requirement', () => {
  it("reads the relationship's property, else the target's", async () => {
    const r = await compileTemplate({
      text: `tosca_definitions_version: tosca_simple_yaml_1_3
relationship_types:
  Link:
    derived_from: tosca.relationships.DependsOn
    properties:
      port: { type: integer, default: 80 }
      label: { type: string, required: false }
node_types:
  Src:
    derived_from: tosca.nodes.Root
    properties:
      got_port: { type: integer, required: false }
      got_label: { type: string, required: false }
      got_name: { type: string, required: false }
    requirements:
      - link: { capability: tosca.capabilities.Node, relationship: Link }
  Dst:
    derived_from: tosca.nodes.Root
    properties:
      name: { type: string }
topology_template:
  node_templates:
    dst: { type: Dst, properties: { name: d1 } }
    src:
      type: Src
      properties:
        got_port: { get_property: [ SELF, link, port ] }
        got_label: { get_property: [ SELF, link, label ] }
        got_name: { get_property: [ SELF, link, name ] }
      requirements:
        - link: { node: dst, relationship: { properties: { label: blue } } }
`,
      file: 'rel.yaml',
    });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.topology!.nodes.src.properties).toEqual({ got_port: 80, got_label: 'blue', got_name: 'd1' });
  });
});

describe('map keys written as function calls', () => {
  it('evaluates the key, then checks it against the key_schema', async () => {
    const r = await compileTemplate({
      text: `tosca_definitions_version: tosca_simple_yaml_1_3
data_types:
  Lower:
    derived_from: string
    constraints: [ { pattern: '[a-z]*' } ]
node_types:
  N:
    derived_from: tosca.nodes.Root
    properties:
      m: { type: map, key_schema: Lower, entry_schema: string }
topology_template:
  node_templates:
    ok: { type: N, properties: { m: { plain: x, { concat: [ ab, cd ] }: y } } }
    bad:
      type: N
      properties:
        m:
          { concat: [ Ab, cd ] }: y
`,
      file: 'keys.yaml',
    });
    expect(r.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`)).toEqual(['constraint_violation 18:11']);
  });
});
