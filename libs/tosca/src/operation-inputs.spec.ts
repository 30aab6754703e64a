import { describe, expect, it } from 'vitest';
import { compile } from './index';

const template = (inputs: string) => `tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  node_templates:
    web:
      type: tosca.nodes.SoftwareComponent
      requirements:
        - host: vm
      interfaces:
        Standard:
          configure:
            implementation: artifacts/web_configure.yml
            inputs:
${inputs}
    vm:
      type: tosca.nodes.Compute
`;

describe('operation inputs', () => {
  it.each(['ansible_connection: local', 'ansible_host: 127.0.0.1', 'ansible_port: 5432', 'baton_bastion: { host: x }', 'hostvars: {}', 'remote_user: root', 'inventory_hostname: x', 'omit: x'])(
    'refuses %s, which would override the orchestrator\'s connection or inventory',
    async (input) => {
      const name = input.split(':')[0];
      const result = await compile({ text: template(`              ${input}\n              port: 80`), file: 'template.yaml' });
      const reserved = result.diagnostics.filter((d) => d.code === 'reserved_input_name');
      expect(reserved).toHaveLength(1);
      expect(reserved[0]).toMatchObject({ severity: 'error', path: `topology_template.node_templates.web.interfaces.Standard.configure.inputs.${name}`, line: 13 });
      expect(reserved[0].message).toContain(`input "${name}" of operation "Standard.configure" of node template "web"`);
    },
  );

  it('keeps the other inputs', async () => {
    const result = await compile({ text: template('              port: 80\n              my_ansible_host: 1\n              ansible: 2'), file: 'template.yaml' });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});
