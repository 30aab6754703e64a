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
