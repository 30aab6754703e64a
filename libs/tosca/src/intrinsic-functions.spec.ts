// get_nodes_of_type (TOSCA 1.3 §4.7.1), get_property through a requirement (§4.5.2) and the
// references of get_operation_output (§4.6.1).
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

describe('get_operation_output', () => {
  const template = (outputs: string) => `tosca_definitions_version: tosca_simple_yaml_1_3
interface_types:
  my.interfaces.Backup:
    derived_from: tosca.interfaces.Root
    operations:
      dump: {}
node_types:
  my.nodes.Db:
    derived_from: tosca.nodes.SoftwareComponent
    interfaces:
      Backup: { type: my.interfaces.Backup }
topology_template:
  node_templates:
    vm:
      type: tosca.nodes.Compute
      interfaces:
        Standard:
          create: create.yml
    db:
      type: my.nodes.Db
      requirements: [ { host: vm } ]
      interfaces:
        Custom:
          type: my.interfaces.Backup
          dump: dump.yml
  outputs:
${outputs}`;
  const codes = (r: { diagnostics: Array<{ code: string; severity: string; message: string; path: string; line: number; column: number }> }) =>
    r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.path} ${d.line}:${d.column} ${d.message}`);

  it('keeps a reference to an operation of the node’s type, interface type or template as a deferred expression', async () => {
    const r = await compileTemplate({
      text: template(`    a: { value: { get_operation_output: [ vm, Standard, create, out ] } }
    b: { value: { get_operation_output: [ vm, Standard, configure, out ] } }
    c: { value: { get_operation_output: [ db, Backup, dump, out ] } }
    d: { value: { get_operation_output: [ db, Custom, dump, out ] } }
`),
      file: 'ops.yaml',
    });
    expect(codes(r)).toEqual([]);
    expect(r.topology!.outputs.a.value).toEqual({ $deferred: 'get_operation_output', entity: 'vm', interface: 'Standard', operation: 'create', output: 'out' });
    expect(r.topology!.outputs.d.value).toEqual({ $deferred: 'get_operation_output', entity: 'db', interface: 'Custom', operation: 'dump', output: 'out' });
  });

  it('rejects an interface or an operation the node does not have, naming it', async () => {
    const r = await compileTemplate({
      text: template(`    a: { value: { get_operation_output: [ vm, Nope, create, out ] } }
    b: { value: { get_operation_output: [ vm, Standard, nope, out ] } }
    c: { value: { get_operation_output: [ db, Backup, create, out ] } }
    d: { value: { get_operation_output: [ vm, Backup, dump, out ] } }
`),
      file: 'ops.yaml',
    });
    expect(codes(r)).toEqual([
      'unknown_interface topology_template.outputs.a.value 27:17 node template "vm" has no interface "Nope"',
      'unknown_operation topology_template.outputs.b.value 28:17 interface "Standard" of node template "vm" has no operation "nope"',
      'unknown_operation topology_template.outputs.c.value 29:17 interface "Backup" of node template "db" has no operation "create"',
      'unknown_interface topology_template.outputs.d.value 30:17 node template "vm" has no interface "Backup"',
    ]);
    expect(r.plan).toBeUndefined();
  });

  it('checks references in operation inputs too', async () => {
    const r = await compileTemplate({
      text: `tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  node_templates:
    vm:
      type: tosca.nodes.Compute
      interfaces:
        Standard:
          configure:
            implementation: configure.yml
            inputs:
              ok: { get_operation_output: [ SELF, Standard, create, out ] }
              bad: { get_operation_output: [ SELF, Standard, creat, out ] }
`,
      file: 'inputs.yaml',
    });
    expect(codes(r)).toEqual(['unknown_operation topology_template.node_templates.vm.interfaces.Standard.configure.inputs.bad 12:20 interface "Standard" of node template "vm" has no operation "creat"']);
  });
});
