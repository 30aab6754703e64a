import type { NodeTemplateModel } from '@lib/tosca';
import { describe, expect, it } from 'vitest';
import type { FlavorInfo, ImageInfo } from '../cloud.port';
import { hostRequirementsOf, osRequirementsOf, parseSizeBytes, pickFlavor, pickImage } from './flavor-match';

const flavors: FlavorInfo[] = [
  { id: 'x', name: 'xlarge', vcpus: 8, ramMb: 16384, diskGb: 160 },
  { id: 's', name: 'small', vcpus: 1, ramMb: 2048, diskGb: 20 },
  { id: 'm', name: 'medium', vcpus: 2, ramMb: 4096, diskGb: 40 },
  { id: 'g', name: 'gpu', vcpus: 2, ramMb: 4096, diskGb: 40, gpus: 1 },
];
const images: ImageInfo[] = [
  { id: 'u22', name: 'ubuntu-22.04', osType: 'linux', distribution: 'ubuntu', version: '22.04' },
  { id: 'd12', name: 'debian-12', osType: 'linux', distribution: 'debian', version: '12' },
];

function node(host: Record<string, unknown>, os: Record<string, unknown> = {}): NodeTemplateModel {
  const cap = (name: string, properties: Record<string, unknown>) => ({ name, type: 't', types: ['t'], properties, attributes: {} });
  return { capabilities: { host: cap('host', host), os: cap('os', os) } } as unknown as NodeTemplateModel;
}

describe('flavor matching', () => {
  it('parses scalar-unit sizes', () => {
    expect(parseSizeBytes('2 GB')).toBe(2e9);
    expect(parseSizeBytes('512 MiB')).toBe(512 * 1024 ** 2);
    expect(parseSizeBytes('10 parsecs')).toBeUndefined();
  });
  it('picks the smallest flavor that fits cpus, memory and disk', () => {
    expect(pickFlavor(flavors, hostRequirementsOf(node({ num_cpus: 1, mem_size: '2 GB' })))?.name).toBe('small');
    expect(pickFlavor(flavors, hostRequirementsOf(node({ num_cpus: 2, mem_size: '4 GB', disk_size: '30 GB' })))?.name).toBe('medium');
    expect(pickFlavor(flavors, hostRequirementsOf(node({ num_cpus: 1, mem_size: '6 GB' })))?.name).toBe('xlarge');
    expect(pickFlavor(flavors, hostRequirementsOf(node({ num_gpus: 1 })))?.name).toBe('gpu');
    expect(pickFlavor(flavors, hostRequirementsOf(node({ num_cpus: 64 })))).toBeUndefined();
  });
  it('honours a flavor named outright', () => {
    expect(pickFlavor(flavors, hostRequirementsOf(node({ instance_type: 'medium', num_cpus: 1 })))?.id).toBe('m');
  });
  it('picks an image by name, provider mapping, or os match', () => {
    expect(pickImage(images, osRequirementsOf(node({}, { image: 'debian-12' })))?.id).toBe('d12');
    expect(pickImage(images, osRequirementsOf(node({}, { image: 'linux-ubuntu' })), { 'linux-ubuntu': 'ubuntu-22.04' })?.id).toBe('u22');
    expect(pickImage(images, osRequirementsOf(node({}, { distribution: 'Ubuntu', version: '22' })))?.id).toBe('u22');
    expect(pickImage(images, osRequirementsOf(node({}, { distribution: 'centos' })))).toBeUndefined();
  });
});
