// A Compute instance's `VirtualMachineInfo` (reference §1.4): the RADL-shaped description IM
// gives the INDIGO orchestrator, which the INFN dashboard renders (`depinfradetails.html` reads
// `cpu.count`, `memory.size` in bytes, `disk.0.os.flavour`/`version` and the
// `net_interface.N.ip`s of the `system` entry) and searches for the public network by its id
// `pub_network` to manage a VM's ports. Never holds a key or a password.
import type { FlavorInfo, ImageInfo, ServerInfo } from '../cloud.port';

export const PUBLIC_NETWORK_ID = 'pub_network';
export const PRIVATE_NETWORK_ID = 'private';

export interface VmInfoFacts {
  /** The node template's name (the `system` entry's id, as IM names it). */
  template: string;
  server: Pick<ServerInfo, 'id' | 'privateAddress' | 'publicAddress'>;
  serverName: string;
  flavor: FlavorInfo;
  image: ImageInfo;
  providerEndpoint?: string;
}

export interface VirtualMachineInfo {
  vmProperties: Array<Record<string, string | number>>;
}

export function virtualMachineInfo(facts: VmInfoFacts): VirtualMachineInfo {
  const { server, flavor, image } = facts;
  const networks: Array<Record<string, string>> = [{ class: 'network', id: PRIVATE_NETWORK_ID, outbound: 'no' }];
  const system: Record<string, string | number> = {
    class: 'system',
    id: facts.template,
    state: 'running',
    instance_id: server.id,
    instance_name: facts.serverName,
    instance_type: flavor.name,
    'cpu.count': flavor.vcpus,
    'memory.size': flavor.ramMb * 1024 * 1024,
    'disk.0.image.url': image.name,
    'disk.0.os.name': image.osType ?? 'linux',
    'provider.type': 'OpenStack',
  };
  if (facts.providerEndpoint) system['provider.host'] = facts.providerEndpoint;
  if (flavor.diskGb > 0) system['disk.0.free_size'] = flavor.diskGb * 1024 ** 3;
  if (image.distribution) system['disk.0.os.flavour'] = image.distribution;
  if (image.version) system['disk.0.os.version'] = image.version;
  // Interfaces in IM's order: the private network first, then the public one.
  if (server.privateAddress) {
    system['net_interface.0.connection'] = PRIVATE_NETWORK_ID;
    system['net_interface.0.ip'] = server.privateAddress;
  }
  if (server.publicAddress) {
    const n = server.privateAddress ? 1 : 0;
    networks.push({ class: 'network', id: PUBLIC_NETWORK_ID, outbound: 'yes' });
    system[`net_interface.${n}.connection`] = PUBLIC_NETWORK_ID;
    system[`net_interface.${n}.ip`] = server.publicAddress;
  }
  return { vmProperties: [...networks, system] };
}
