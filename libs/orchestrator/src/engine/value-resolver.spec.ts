import { describe, expect, it } from 'vitest';
import { resolveValue, type ResolveContext } from './value-resolver';

const ctx: ResolveContext = {
  attribute: (entity, attr) => ({ server: { public_address: '1.2.3.4', networks: { private: { addresses: ['10.0.0.5'] } } } } as Record<string, Record<string, unknown>>)[entity]?.[attr],
  operationOutput: (entity, _i, op, out) => (entity === 'web' && op === 'configure' && out === 'port' ? 8080 : undefined),
};

describe('resolveValue', () => {
  it('resolves get_attribute with nested keys and get_operation_output inside concat', () => {
    const v = {
      $deferred: 'concat' as const,
      args: ['http://', { $deferred: 'get_attribute' as const, entity: 'server', attribute: 'public_address', keys: [] }, ':', { $deferred: 'get_operation_output' as const, entity: 'web', interface: 'Standard', operation: 'configure', output: 'port' }],
    };
    expect(resolveValue(v, ctx)).toEqual({ value: 'http://1.2.3.4:8080', missing: [] });
    const nested = { $deferred: 'get_attribute' as const, entity: 'server', attribute: 'networks', keys: ['private', 'addresses', 0] };
    expect(resolveValue({ ip: nested }, ctx).value).toEqual({ ip: '10.0.0.5' });
  });
  it('reports what is not available yet instead of guessing', () => {
    const r = resolveValue({ $deferred: 'get_attribute', entity: 'db', attribute: 'private_address', keys: [] }, ctx);
    expect(r).toEqual({ value: null, missing: ['get_attribute db.private_address'] });
  });
  it('evaluates join and token', () => {
    expect(resolveValue({ $deferred: 'join', list: [['a', 'b'], 'c'], delimiter: ',', prefix: '[', suffix: ']' }, ctx).value).toBe('[a,b,c]');
    expect(resolveValue({ $deferred: 'token', string: 'a.b-c', separators: '.-', index: 2 }, ctx).value).toBe('c');
  });
});

describe('INDIGO list indexing', () => {
  it('treats a scalar attribute as its own element 0', () => {
    const r = resolveValue({ $deferred: 'get_attribute', entity: 'server', attribute: 'public_address', keys: [0] }, ctx);
    expect(r.value).toBe('1.2.3.4');
  });
});
