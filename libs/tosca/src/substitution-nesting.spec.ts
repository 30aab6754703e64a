// Nested substitution (TOSCA 1.3 §2.10, §3.8.13): a node template realised by an imported
// file's topology owes neither its mapped capabilities' required properties nor its
// requirements outside; the imported topology's inputs must all get a value.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileTemplate } from './compile';

const TYPES = `tosca_definitions_version: tosca_simple_yaml_1_0
capability_types:
  Receiver:
    derived_from: tosca.capabilities.Endpoint
    properties:
      server_ip: { type: string }
node_types:
  Sub:
    derived_from: tosca.nodes.SoftwareComponent
    properties:
      port: { type: integer }
    capabilities:
      rx: { type: Receiver }
`;

function inner(inputs: string): string {
  return `tosca_definitions_version: tosca_simple_yaml_1_0
imports: [ types.yaml ]
topology_template:
  inputs:
${inputs}
  substitution_mappings:
    node_type: Sub
    capabilities:
      rx: [ app, rx ]
  node_templates:
    app:
      type: Sub
      properties: { port: { get_input: port } }
      capabilities: { rx: { properties: { server_ip: 10.0.0.1 } } }
      requirements: [ { host: vm } ]
    vm: { type: tosca.nodes.Compute }
`;
}

const OUTER = `tosca_definitions_version: tosca_simple_yaml_1_0
imports: [ types.yaml, inner.yaml ]
topology_template:
  node_templates:
    outer:
      type: Sub
      properties: { port: 80 }
`;

function dir(innerInputs: string): string {
  const d = mkdtempSync(join(tmpdir(), 'tosca-nesting-'));
  writeFileSync(join(d, 'types.yaml'), TYPES);
  writeFileSync(join(d, 'inner.yaml'), inner(innerInputs));
  writeFileSync(join(d, 'outer.yaml'), OUTER);
  return d;
}

const list = (ds: Array<{ code: string; severity: string; file: string; line: number; column: number }>) => ds.map((d) => `${d.severity}[${d.code}] ${d.file.split('/').pop()}:${d.line}:${d.column}`);

describe('nested substitution', () => {
  it('realises the node inside: no required capability property nor host owed outside', async () => {
    const d = dir('    port: { type: integer }');
    const r = await compileTemplate({ file: join(d, 'outer.yaml') });
    expect(list(r.diagnostics)).toEqual([]);
    expect(Object.keys(r.topology!.nodes)).toEqual(['outer']);
    // The same node type without an imported substitution owes both.
    const alone = await compileTemplate({ text: OUTER.replace(', inner.yaml', ''), file: join(d, 'alone.yaml') });
    expect(alone.diagnostics.map((x) => x.code).sort()).toEqual(['missing_required_property', 'requirement_occurrences']);
  });

  it('wants an input for every required property of the node type, and a value for every inner input', async () => {
    const d = dir('    other: { type: string }');
    const r = await compileTemplate({ file: join(d, 'outer.yaml') });
    expect(list(r.diagnostics)).toEqual(['error[missing_substitution_input] inner.yaml:7:16', 'error[missing_required_input] inner.yaml:5:5']);
  });
});
