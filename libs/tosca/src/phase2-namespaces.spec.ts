// Short type names of the normative profile (TOSCA 1.2/1.3 §3.1.3.1): `Compute`, `tosca:Compute`
// and `tosca.Compute` name tosca.nodes.Compute; a template's own full name still wins.
import { describe, expect, it } from 'vitest';
import { compileTemplate } from './compile';

describe('short type names (phase 2)', () => {
  it('resolves Compute, tosca:Compute and tosca.Compute, and last segments such as tosca.BlockStorage', async () => {
    const r = await compileTemplate({
      text: `tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  node_templates:
    a: { type: Compute }
    b: { type: tosca:Compute }
    c: { type: tosca.Compute }
    d: { type: tosca.BlockStorage, properties: { name: disk, size: 1 GB } }
`,
      file: 'short.yaml',
    });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(Object.values(r.topology!.nodes).map((n) => n.type)).toEqual(['tosca.nodes.Compute', 'tosca.nodes.Compute', 'tosca.nodes.Compute', 'tosca.nodes.Storage.BlockStorage']);
  });

  it('still rejects a short name nothing defines, at its position', async () => {
    const r = await compileTemplate({ text: 'tosca_definitions_version: tosca_simple_yaml_1_3\ntopology_template:\n  node_templates:\n    a: { type: tosca.Nope }\n', file: 'short.yaml' });
    expect(r.diagnostics.map((d) => `${d.code} ${d.line}:${d.column}`)).toEqual(['unknown_type 4:16']);
  });
});
