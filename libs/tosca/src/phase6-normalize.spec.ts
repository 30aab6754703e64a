import { describe, expect, it } from 'vitest';
import { layer } from './phase6-normalize';

const n = (id: string) => ({ id, template: id.split('_')[0], type: 't', index: 0 });
const e = (from: string, to: string) => ({ from, to, relationship: 'r', requirement: 'q' });

describe('topological levels (phase 6)', () => {
  it('puts each instance one level above its deepest dependency', () => {
    const { levels, cycle } = layer([n('a_0'), n('b_0'), n('c_0'), n('d_0')], [e('b_0', 'a_0'), e('c_0', 'b_0'), e('d_0', 'a_0')]);
    expect(cycle).toBeUndefined();
    expect(levels).toEqual([['a_0'], ['b_0', 'd_0'], ['c_0']]);
  });

  it('names the cycle, first instance repeated at the end', () => {
    const { levels, cycle } = layer([n('a_0'), n('b_0'), n('c_0'), n('x_0')], [e('a_0', 'b_0'), e('b_0', 'c_0'), e('c_0', 'a_0')]);
    expect(levels).toEqual([['x_0']]);
    expect(cycle).toHaveLength(4);
    expect(cycle![0]).toBe(cycle![3]);
    expect(new Set(cycle)).toEqual(new Set(['a_0', 'b_0', 'c_0']));
  });

  // Time is measured by `npm run bench:tosca`; this checks that a deep chain neither recurses nor stalls.
  it('layers 100,000 instances in a chain without recursion', () => {
    const nodes = Array.from({ length: 100_000 }, (_, i) => n(`x_${i}`));
    const edges = nodes.slice(1).map((node, i) => e(node.id, nodes[i].id));
    const { levels } = layer(nodes, edges);
    expect(levels).toHaveLength(100_000);
    expect(levels[99_999]).toEqual(['x_99999']);
  });
});
