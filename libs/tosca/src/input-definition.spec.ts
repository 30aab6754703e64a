import { describe, expect, it } from 'vitest';
import { compile } from './index';

const TEMPLATE = `tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  inputs:
    admin_password:
      type: string
      constraints: [ { min_length: 80 } ]
    access_code:
      type: password
      constraints: [ { valid_values: [ a1, b2 ] } ]
    label:
      type: string
      constraints: [ { max_length: 3 } ]
  node_templates:
    vm:
      type: tosca.nodes.Compute
`;

describe('input values in diagnostics', () => {
  it('quotes a plain input’s value but never a secret input’s, short or long', async () => {
    const longSecret = `Sh0rt-${'x'.repeat(70)}`; // longer than the 60 characters a message quotes
    const result = await compile({ text: TEMPLATE, file: 'template.yaml' }, { inputs: { admin_password: longSecret.slice(0, 70), access_code: 'c3', label: 'visible' } });
    const messages = result.diagnostics.map((d) => `${d.code} ${d.message}`);
    expect(messages.some((m) => m.includes('"visible"'))).toBe(true);
    const secretDiagnostics = result.diagnostics.filter((d) => d.path?.includes('admin_password') || d.path?.includes('access_code'));
    expect(secretDiagnostics).toHaveLength(2);
    for (const d of secretDiagnostics) {
      expect(d.severity).toBe('error');
      expect(d.message).toContain('"****"');
      expect(d.message).not.toContain('Sh0rt');
      expect(d.message).not.toContain('c3');
    }
  });
});

const USED = `tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  inputs:
    cpus:
      type: integer
      constraints: [ { in_range: [ 1, 8 ] } ]
    disk:
      type: scalar-unit.size
      default: 20 parsecs
  node_templates:
    vm:
      type: tosca.nodes.Compute
      capabilities:
        host:
          properties:
            num_cpus: { get_input: cpus }
            disk_size: { get_input: disk }
            mem_size: { get_input: disk }
`;

describe('a refused input value', () => {
  const where = (r: { diagnostics: Array<{ code: string; path: string; line: number; column: number }> }) => r.diagnostics.map((d) => `${d.code} ${d.path} ${d.line}:${d.column}`);

  it('is reported once, at the input, not again where get_input uses it', async () => {
    const notInteger = await compile({ text: USED, file: 'template.yaml' }, { inputs: { cpus: 'abc', disk: '1 GB' } });
    expect(where(notInteger)).toEqual(['type_mismatch topology_template.inputs.cpus 5:7']);
    // 0 breaks the input's in_range and num_cpus's own greater_or_equal: 1; only the first is said.
    const outOfRange = await compile({ text: USED, file: 'template.yaml' }, { inputs: { cpus: '0', disk: '1 GB' } });
    expect(where(outOfRange)).toEqual(['constraint_violation topology_template.inputs.cpus 5:7']);
  });

  it('is reported once at its default, however many properties use it', async () => {
    const r = await compile({ text: USED, file: 'template.yaml' }, { inputs: { cpus: 2 } });
    expect(where(r)).toEqual(['invalid_scalar_unit topology_template.inputs.disk.default 9:16']);
  });
});
