// Issue 8, findings 4 and 5: what one template may ask of the machine is bounded, each bound
// answers with a diagnostic before the work it bounds, and no compiler fault is an exception.
import { describe, expect, it } from 'vitest';
import { compileTemplate } from './compile';
import { DEFAULT_COMPILE_LIMITS } from './options';

const HEAD = 'tosca_definitions_version: tosca_simple_yaml_1_0\n';
const errorCodes = (r: { diagnostics: Array<{ code: string; severity: string }> }) => r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
const scaled = (count: number, extra = '') =>
  `${HEAD}topology_template:\n  node_templates:\n    vm:\n      type: tosca.nodes.Compute\n      capabilities:\n        scalable:\n          properties: { default_instances: ${count}, max_instances: 10000000 }\n${extra}`;

describe('compile bounds', () => {
  it('answers default_instances: 1000000 with too_many_instances, before expanding the plan', async () => {
    const t = performance.now();
    const r = await compileTemplate({ text: scaled(1_000_000), file: 'template.yaml' }, { limits: { maxInstances: 1000 } });
    expect(errorCodes(r)).toEqual(['too_many_instances']);
    expect(r.diagnostics[0].path).toBe('topology_template.node_templates.vm');
    expect(r.diagnostics[0].message).toContain('1000000');
    expect(r.plan).toBeUndefined();
    // Generous: the point is that 10^6 instances are never made (that took seconds).
    expect(performance.now() - t).toBeLessThan(5_000);
  });

  it('counts relationships between instances too (n x m dependency edges)', async () => {
    const extra = `    app:\n      type: tosca.nodes.Compute\n      capabilities:\n        scalable:\n          properties: { default_instances: 900, max_instances: 10000000 }\n      requirements:\n        - dependency: vm\n`;
    const r = await compileTemplate({ text: scaled(800, extra), file: 'template.yaml' }, { limits: { maxInstances: 2000 } });
    expect(errorCodes(r)).toEqual(['too_many_relationships']);
  });

  it('bounds node templates, YAML nodes and bytes of the entry template', async () => {
    const many = `${HEAD}topology_template:\n  node_templates:\n${Array.from({ length: 30 }, (_, i) => `    n${i}: { type: tosca.nodes.Root }\n`).join('')}`;
    expect(errorCodes(await compileTemplate({ text: many, file: 't.yaml' }, { limits: { maxNodeTemplates: 20 } }))).toEqual(['too_many_node_templates']);
    const keys = `${HEAD}metadata:\n${Array.from({ length: 5000 }, (_, i) => `  k${i}: v\n`).join('')}`;
    expect(errorCodes(await compileTemplate({ text: keys, file: 't.yaml' }, { limits: { maxTemplateNodes: 1000 } }))).toEqual(['yaml_too_many_nodes']);
    expect(errorCodes(await compileTemplate({ text: keys, file: 't.yaml' }, { limits: { maxTemplateBytes: 10_000 } }))).toEqual(['file_too_large']);
  });

  it('returns at most maxDiagnostics, the last one counting the rest', async () => {
    const dup = `${HEAD}metadata:\n${'  same: v\n'.repeat(500)}topology_template:\n  node_templates:\n${Array.from({ length: 40 }, (_, i) => `    n${i}: { type: no.such.Type }\n`).join('')}`;
    const r = await compileTemplate({ text: dup, file: 't.yaml' }, { limits: { maxDiagnostics: 25 } });
    expect(r.diagnostics).toHaveLength(26);
    const last = r.diagnostics[25];
    expect(last.code).toBe('diagnostics_truncated');
    expect(last.message).toMatch(/^\d+ more diagnostic/);
    expect(DEFAULT_COMPILE_LIMITS.maxDiagnostics).toBeGreaterThan(25);
  });

  it('reports a fault while reading a file as a diagnostic, not an exception', async () => {
    // /proc/self/mem is a "file" of size 0 whose read fails (EIO): it used to escape as a 500.
    const r = await compileTemplate({ text: `${HEAD}imports: [/proc/self/mem]\n`, file: 'template.yaml' });
    expect(errorCodes(r).length).toBeGreaterThan(0);
    expect(r.plan).toBeUndefined();
  });
});
