// Outputs computed from a secret input are marked `fromSecret` (phase 5, RenderContext.secretReads):
// a `token` of a password shows a fragment no exact-match redaction can find.
import { describe, expect, it } from 'vitest';
import { compile } from './index';

const TEMPLATE = `tosca_definitions_version: tosca_simple_yaml_1_3
topology_template:
  inputs:
    db_password: { type: string }
    access: { type: password }
    label: { type: string }
  node_templates:
    db:
      type: tosca.nodes.Database
      properties:
        name: app
        user: { concat: [ 'u-', { get_input: label } ] }
        password: { get_input: db_password }
      requirements:
        - host: dbms
    dbms:
      type: tosca.nodes.DBMS
      properties:
        root_password: { get_input: access }
      requirements:
        - host: vm
    vm:
      type: tosca.nodes.Compute
  outputs:
    tail: { value: { token: [ { get_input: db_password }, ':', 1 ] } }
    joined: { value: { join: [ [ 'a', { get_input: access } ], '-' ] } }
    through_property: { value: { concat: [ 'pw=', { get_property: [ db, password ] } ] } }
    twice_cached: { value: { get_property: [ db, password ] } }
    label: { value: { get_input: label } }
    user: { value: { get_property: [ db, user ] } }
    address: { value: { get_attribute: [ vm, private_address ] } }
`;

describe('outputs computed from a secret input', () => {
  it('are marked fromSecret, directly or through a property; the others are not', async () => {
    const r = await compile({ text: TEMPLATE, file: 't.yaml' }, { inputs: { db_password: 'head:tail', access: 'root-pw', label: 'shown' } });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const marked = Object.values(r.topology!.outputs).filter((o) => o.fromSecret).map((o) => o.name).sort();
    expect(marked).toEqual(['joined', 'tail', 'through_property', 'twice_cached']);
    expect(r.topology!.outputs.tail.value).toBe('tail');
  });
});
