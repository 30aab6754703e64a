import { describe, expect, it } from 'vitest';
import { mask, placeErrors, readSubmission } from './deploy-submission';
import { inputFields } from './input-fields';

const fields = inputFields({
  count: { type: 'integer', default: 1 },
  public: { type: 'boolean', default: true },
  db_password: { type: 'string' },
  name: { type: 'string', default: 'x' },
});

describe('readSubmission', () => {
  it('sends typed text, an unchecked box as false, omits empty fields, and keeps no password', () => {
    const s = readSubmission(fields, { count: ' 3 ', db_password: 'p"w', name: '', extra: 'ignored', _csrf: 't' });
    expect(s.parameters).toEqual({ count: '3', public: false, db_password: 'p"w' });
    expect(s.values).toEqual({ count: ' 3 ', public: 'false', name: '' });
    expect(s.secrets).toEqual(['p"w']);
  });

  it('reads a checked box and the last of repeated values', () => {
    const s = readSubmission(fields, { public: 'true', count: ['1', '2'] });
    expect(s.parameters).toMatchObject({ public: true, count: '2' });
  });
});

describe('placeErrors', () => {
  it('puts an error next to the input its path names, the rest at the top, warnings nowhere', () => {
    const errors = placeErrors(
      fields,
      'The template has 3 error(s)',
      [
        { severity: 'error', path: 'topology_template.inputs.count', message: '"abc" is not a valid integer' },
        { severity: 'error', path: 'topology_template.inputs.db_password', message: '"p\\"w" violates the constraint min_length: 8' },
        { severity: 'error', path: 'topology_template.node_templates.vm.properties.size', message: 'bad' },
        { severity: 'error', path: 'topology_template.inputs.unknown', message: 'no such input' },
        { severity: 'warning', path: 'topology_template.inputs.name', message: 'unused' },
      ],
      ['p"w'],
    );
    expect(errors.byField).toEqual({ count: ['"abc" is not a valid integer'], db_password: ['"•••" violates the constraint min_length: 8'] });
    expect(errors.general).toEqual(['topology_template.node_templates.vm.properties.size: bad', 'topology_template.inputs.unknown: no such input']);
  });

  it('falls back to the API message, masked, when no diagnostic came', () => {
    expect(placeErrors(fields, 'secret s3cret refused', [], ['s3cret'])).toEqual({ general: ['secret ••• refused'], byField: {} });
  });
});

describe('mask', () => {
  it('hides a secret as typed and as JSON-escaped', () => {
    expect(mask('a\\nb and a\nb', ['a\nb'])).toBe('••• and •••');
  });
});

describe('readSubmission of the editors', () => {
  it('reads list lines, key=value lines and port lines, and says what it cannot read', () => {
    const fields = inputFields({
      users: { type: 'list', entry_schema: { type: 'string' } },
      env: { type: 'map', entry_schema: { type: 'string' } },
      ports: { type: 'map', entry_schema: { type: 'tosca.datatypes.network.PortSpec' } },
    });
    const ok = readSubmission(fields, { users: 'a\n\n b ', env: 'A=1\nB = two', ports: '80\n9000-9100/udp' });
    expect(ok.local).toEqual({});
    expect(ok.parameters).toEqual({
      users: ['a', 'b'],
      env: { A: '1', B: 'two' },
      ports: { port_80_tcp: { protocol: 'tcp', source: 80 }, port_9000_9100_udp: { protocol: 'udp', source_range: [9000, 9100] } },
    });
    const bad = readSubmission(fields, { users: '[1,', env: 'novalue', ports: 'http' });
    expect(Object.keys(bad.local)).toEqual(['users', 'env', 'ports']);
    expect(bad.parameters).toEqual({});
  });
});
