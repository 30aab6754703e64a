import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAdvanced, readRecord, recordInTemplate } from './deploy-options';
import { scalableNodes, withRemovalList } from './deployment-scaling';

const VMS = readFileSync(join(__dirname, '../../../../templates/virtual-machines.yaml'), 'utf8');

describe('scaling a deployment from its template', () => {
  it('finds the nodes whose count comes from an input, with their bounds', () => {
    expect(scalableNodes(VMS)).toEqual([{ node: 'vm', input: 'count', min: 1, max: 100 }]);
    expect(scalableNodes('not: [yaml')).toEqual([]);
  });

  it('names the chosen resource in removal_list, keeping the rest of the text (comments too)', () => {
    const out = withRemovalList(VMS, 'vm', ['r-1']);
    expect(out).toContain('removal_list:\n              - r-1');
    expect(out).toContain('# The normative Scalable capability');
  });
});

describe('what the dashboard records in a template', () => {
  it('writes description, catalogue key and inputs into metadata, and reads them back', () => {
    const text = recordInTemplate(VMS, { description: 'My VMs: "test"', template: 'virtual-machines', inputs: { count: 2, admin_password: null } });
    expect(readRecord(text)).toEqual({ description: 'My VMs: "test"', template: 'virtual-machines', templateName: 'virtual-machines', inputs: { count: 2, admin_password: null } });
    expect(readRecord(VMS)).toEqual({ templateName: 'virtual-machines' });
  });

  it('adds a placement policy naming the chosen provider, after the template own policies', () => {
    const text = recordInTemplate(VMS, {}, 'site-a');
    expect(text).toContain('policies:\n    - baton_dashboard_placement:\n        type: tosca.policies.Placement\n        properties:\n          cloud_id: site-a');
    const twice = recordInTemplate(text, {}, 'site-b');
    expect(twice.indexOf('cloud_id: site-a')).toBeLessThan(twice.indexOf('cloud_id: site-b'));
    expect(readAdvanced({ provider: 'elsewhere' }, ['site-a']).provider).toBeNull();
    expect(readAdvanced({ provider: 'site-a' }, ['site-a']).provider).toBe('site-a');
  });

  it('reads the Advanced tab: whole numbers or nothing, the toggle, a description', () => {
    expect(readAdvanced({ description: ' x ', timeoutMins: '30', maxProvidersRetry: '', keepLastAttempt: 'true' })).toMatchObject({
      options: { timeoutMins: 30, keepLastAttempt: true },
      description: 'x',
      errors: {},
    });
    expect(readAdvanced({ timeoutMins: '0' }).errors).toEqual({ timeoutMins: ['Write a whole number of at least 1, or leave it empty.'] });
  });
});
