import type { InputModel } from '@lib/tosca';
import { describe, expect, it } from 'vitest';
import { secretInputs } from './secret-inputs';

const input = (name: string, type: string, secret: boolean): InputModel => ({ name, type, required: false, secret }) as InputModel;

describe('secretInputs', () => {
  it('follows the compiler for declared inputs and the same name rule for undeclared ones', () => {
    const topology = { inputs: { api_key: input('api_key', 'password', true), num_cpus: input('num_cpus', 'integer', false), admin_token: input('admin_token', 'string', true) } };
    const parameters = { api_key: 'k', num_cpus: 2, admin_token: 't', extra_secret: 's', ssh_private_key: 'p', db_pass: 'x', label: 'l' };
    expect(secretInputs(topology, parameters).sort()).toEqual(['admin_token', 'api_key', 'db_pass', 'extra_secret', 'ssh_private_key']);
  });
});
