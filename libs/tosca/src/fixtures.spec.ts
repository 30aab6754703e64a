// Negative fixtures (STYLE.md rule 24): each err-<code>.yaml and its complete diagnostic list
// (code, severity, path, line:col and the message a user reads) as an inline snapshot.
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileTemplate } from './compile';
import { STRICT_QUIRKS } from './options';

const dir = join(__dirname, '..', 'test', 'fixtures');

async function list(name: string, strict = false): Promise<string[]> {
  const result = await compileTemplate({ file: join(dir, name) }, strict ? { quirks: STRICT_QUIRKS } : {});
  expect(result.plan).toBeUndefined();
  return result.diagnostics.map((d) => `${d.severity}[${d.code}] ${d.path} @${relative(dir, d.file) || d.file}:${d.line}:${d.column}: ${d.message}`);
}

describe('negative fixtures', () => {
  it('err-unknown_property', async () => {
    expect(await list('err-unknown_property.yaml')).toMatchInlineSnapshot(`
      [
        "error[unknown_property] topology_template.node_templates.server.properties.flavour @err-unknown_property.yaml:7:9: node template "server" (tosca.nodes.Compute) has no property "flavour"",
      ]
    `);
  });
  it('err-missing_required_input', async () => {
    expect(await list('err-missing_required_input.yaml')).toMatchInlineSnapshot(`
      [
        "error[missing_required_input] topology_template.inputs.cpus @err-missing_required_input.yaml:5:7: the required input "cpus" has no value and no default",
      ]
    `);
  });
  it('err-constraint_violation', async () => {
    expect(await list('err-constraint_violation.yaml')).toMatchInlineSnapshot(`
      [
        "error[constraint_violation] topology_template.inputs.cpus.default @err-constraint_violation.yaml:6:16: "12" violates the constraint in_range: [1,8]",
        "error[constraint_violation] topology_template.inputs.size.default @err-constraint_violation.yaml:11:16: "512 MB" violates the constraint greater_or_equal: 1 GB",
      ]
    `);
  });
  it('err-type_mismatch', async () => {
    expect(await list('err-type_mismatch.yaml')).toMatchInlineSnapshot(`
      [
        "error[type_mismatch] topology_template.node_templates.server.capabilities.host.properties.num_cpus @err-type_mismatch.yaml:9:23: "two" is not a valid integer",
        "error[invalid_scalar_unit] topology_template.node_templates.server.capabilities.host.properties.mem_size @err-type_mismatch.yaml:10:23: "4 parsecs" is not a valid scalar-unit.size: expected a number and one of the units B, kB, KiB, MB, MiB, GB, GiB, TB, TiB",
      ]
    `);
  });
  it('err-unknown_type', async () => {
    expect(await list('err-unknown_type.yaml')).toMatchInlineSnapshot(`
      [
        "error[unknown_type] topology_template.node_templates.server.type @err-unknown_type.yaml:5:13: "tosca.nodes.Komputer" is not a known node type",
      ]
    `);
  });
  it('err-type_cycle', async () => {
    expect(await list('err-type_cycle.yaml')).toMatchInlineSnapshot(`
      [
        "error[type_cycle] node_types.example.A.derived_from @err-type_cycle.yaml:4:19: type hierarchy cycle: example.A -> example.B -> example.A",
      ]
    `);
  });
  it('err-dependency_cycle', async () => {
    expect(await list('err-dependency_cycle.yaml')).toMatchInlineSnapshot(`
      [
        "error[dependency_cycle] topology_template.node_templates @err-dependency_cycle.yaml:5:7: dependency cycle between node instances: a_0 -> b_0 -> a_0",
      ]
    `);
  });
  it('err-import_cycle', async () => {
    expect(await list('err-import_cycle.yaml')).toMatchInlineSnapshot(`
      [
        "error[import_cycle] imports[0] @cycle/b.yaml:3:5: import cycle: libs/tosca/test/fixtures/cycle/a.yaml -> libs/tosca/test/fixtures/cycle/b.yaml -> libs/tosca/test/fixtures/cycle/a.yaml",
      ]
    `);
  });
  it('err-unknown_node_template', async () => {
    expect(await list('err-unknown_node_template.yaml')).toMatchInlineSnapshot(`
      [
        "error[unknown_node_template] topology_template.node_templates.app.requirements[0].host @err-unknown_node_template.yaml:7:17: node template "nowhere" (referenced from "app") does not exist",
        "error[unknown_node_template] topology_template.outputs.ip.value @err-unknown_node_template.yaml:10:14: node template "ghost" (referenced from topology_template.outputs.ip.value) does not exist",
      ]
    `);
  });
  it('err-duplicate_key (strict: an error; the INDIGO quirk makes it a warning)', async () => {
    expect(await list('err-duplicate_key.yaml', true)).toMatchInlineSnapshot(`
      [
        "error[duplicate_key] topology_template.node_templates.server @err-duplicate_key.yaml:6:5: duplicate mapping key "server"",
      ]
    `);
    const lenient = await compileTemplate({ file: join(dir, 'err-duplicate_key.yaml') });
    expect(lenient.diagnostics.map((d) => `${d.severity}[${d.code}]`)).toEqual(['warning[duplicate_key]']);
  });
});

describe('a valid template', () => {
  it('compiles to a plan with hosted instances, levels and resolved outputs', async () => {
    const result = await compileTemplate({ file: join(dir, 'ok-hosted.yaml') }, { inputs: { count: '2' } });
    expect(result.diagnostics).toEqual([]);
    const plan = result.plan!;
    expect(plan.nodes.map((n) => n.id)).toEqual(['app_0', 'app_1', 'vm_0', 'vm_1']);
    expect(plan.edges.map((e) => `${e.from}->${e.to}`)).toEqual(['app_0->vm_0', 'app_1->vm_1']);
    expect(plan.levels).toEqual([['vm_0', 'vm_1'], ['app_0', 'app_1']]);
    expect(plan.outputs.version).toBe('b');
    expect(plan.outputs.address).toEqual({
      $deferred: 'concat',
      args: ['http://', { $deferred: 'get_attribute', entity: 'vm', attribute: 'public_address', keys: [] }, ':', '1.0'],
    });
    expect(result.topology!.inputs.count.value).toBe(2);
  });
});
