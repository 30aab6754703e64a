// Neutron L3 of the simulator: routers (external gateway, interfaces) and floating IPs
// (allocation from an external network, association that needs a router, as Neutron checks).
import { createPort, deletePort, neutronError, routerFor } from './neutron-ops';
import { filterList, neutronAccess } from './neutron-access';
import { renderFloatingIp, renderRouter } from './neutron-render';
import type { SimAuth, SimContext } from './sim-context';
import { json, obj, SimRouter, str } from './sim-http';
import type { SimFloatingIp, SimRouter as RouterRow } from './sim-state';
import { uuid } from './sim-state';

export function neutronL3Routes(ctx: SimContext): SimRouter {
  const { state, now, auth, sees, checkQuota, body, projectOf, subnet, router, fip } = neutronAccess(ctx);
  const setGateway = (r: RouterRow, info: Record<string, unknown> | undefined | null): void => {
    const networkId = info ? str(info, 'network_id') : undefined;
    if (r.gateway && r.gateway.networkId !== networkId) {
      deletePort(ctx, r.gateway.portId);
      r.gateway = null;
    }
    if (!networkId || r.gateway) return;
    const ext = state.networks.get(networkId);
    if (!ext) throw neutronError(404, 'NetworkNotFound', `Network ${networkId} could not be found.`);
    if (!ext.external) throw neutronError(400, 'BadRequest', `Bad router request: Network ${networkId} is not an external network.`);
    const port = createPort(ctx, { networkId, projectId: '', deviceId: r.id, deviceOwner: 'network:router_gateway' });
    port.status = 'DOWN';
    r.gateway = { networkId, enableSnat: info?.['enable_snat'] !== false, portId: port.id };
  };

  const associate = (a: SimAuth, f: SimFloatingIp, portId: string | null, fixedIp?: string): void => {
    if (portId === null) {
      Object.assign(f, { portId: null, fixedIp: null, routerId: null });
      return;
    }
    const port = state.ports.get(portId);
    if (!port || !sees(a, port)) throw neutronError(404, 'PortNotFound', `Port ${portId} could not be found.`);
    const ip = fixedIp ?? port.fixedIps.find((x) => !x.ip_address.includes(':'))?.ip_address;
    if (!ip) throw neutronError(400, 'BadRequest', `Bad floatingip request: Port ${portId} does not have any IPv4 address.`);
    const other = [...state.floatingIps.values()].find((x) => x.id !== f.id && x.portId === portId && x.fixedIp === ip);
    if (other) {
      throw neutronError(409, 'FloatingIPPortAlreadyAssociated', `Cannot associate floating IP ${f.address} (${f.id}) with port ${portId} using fixed IP ${ip}, as that fixed IP already has a floating IP on external network ${f.networkId}.`);
    }
    const routerId = routerFor(ctx, port, f.networkId);
    if (!routerId) {
      const subnetId = port.fixedIps[0]?.subnet_id ?? '';
      throw neutronError(404, 'ExternalGatewayForFloatingIPNotFound', `External network ${f.networkId} is not reachable from subnet ${subnetId}.  Therefore, cannot associate Port ${portId} with a Floating IP.`);
    }
    Object.assign(f, { portId, fixedIp: ip, routerId });
  };

  const r = new SimRouter();
  // ---- routers
  r.on('GET', '/routers', (req) => {
    const a = auth(req);
    return filterList('routers', [...state.routers.values()].filter((x) => sees(a, x)).map((x) => renderRouter(ctx, x)), req);
  });
  r.on('GET', '/routers/:id', (req) => json(200, { router: renderRouter(ctx, router(auth(req), req.params['id'])) }));
  r.on('POST', '/routers', (req) => {
    const a = auth(req);
    const b = body(req, 'router');
    const projectId = projectOf(a, b);
    checkQuota(a, 'router', state.count(state.routers, projectId));
    const t = now();
    const x: RouterRow = { id: uuid(), name: str(b, 'name') ?? '', projectId, adminStateUp: b['admin_state_up'] !== false, description: str(b, 'description') ?? '', gateway: null, createdAt: t, updatedAt: t, revision: 1 };
    setGateway(x, obj(b, 'external_gateway_info'));
    state.routers.set(x.id, x);
    return json(201, { router: renderRouter(ctx, x) });
  });
  r.on('PUT', '/routers/:id', (req) => {
    const a = auth(req);
    const x = router(a, req.params['id']);
    const b = body(req, 'router');
    if (typeof b['name'] === 'string') x.name = b['name'];
    if ('external_gateway_info' in b) setGateway(x, b['external_gateway_info'] as Record<string, unknown> | null);
    x.updatedAt = now();
    x.revision++;
    return json(200, { router: renderRouter(ctx, x) });
  });
  r.on('PUT', '/routers/:id/add_router_interface', (req) => {
    const a = auth(req);
    const x = router(a, req.params['id']);
    const b = (req.body ?? {}) as Record<string, unknown>;
    let portId: string;
    let subnetId: string;
    if (typeof b['port_id'] === 'string') {
      const p = state.ports.get(b['port_id']);
      if (!p || !sees(a, p)) throw neutronError(404, 'PortNotFound', `Port ${String(b['port_id'])} could not be found.`);
      if (p.deviceId) throw neutronError(409, 'PortInUse', `Unable to complete operation on port ${p.id} for network ${p.networkId}. Port already has an attached device ${p.deviceId}.`);
      Object.assign(p, { deviceId: x.id, deviceOwner: 'network:router_interface', status: 'ACTIVE' });
      portId = p.id;
      subnetId = p.fixedIps[0]?.subnet_id ?? '';
    } else {
      const s = subnet(a, str(b, 'subnet_id') ?? '');
      if (!s.gatewayIp) throw neutronError(400, 'BadRequest', 'Bad router request: Subnet for router interface must have a gateway IP.');
      const already = [...state.ports.values()].find((p) => p.deviceId === x.id && p.fixedIps.some((ip) => ip.subnet_id === s.id));
      if (already) throw neutronError(400, 'BadRequest', `Bad router request: Router already has a port on subnet ${s.id}.`);
      const p = createPort(ctx, { networkId: s.networkId, projectId: x.projectId, deviceId: x.id, deviceOwner: 'network:router_interface', fixedIps: [{ subnet_id: s.id, ip_address: s.gatewayIp }] });
      p.status = 'ACTIVE';
      portId = p.id;
      subnetId = s.id;
    }
    x.revision++;
    const port = state.ports.get(portId)!;
    return json(200, { network_id: port.networkId, tenant_id: x.projectId, subnet_id: subnetId, subnet_ids: [subnetId], port_id: portId, id: x.id });
  });
  r.on('PUT', '/routers/:id/remove_router_interface', (req) => {
    const a = auth(req);
    const x = router(a, req.params['id']);
    const b = (req.body ?? {}) as Record<string, unknown>;
    const subnetId = str(b, 'subnet_id');
    const port = [...state.ports.values()].find(
      (p) => p.deviceId === x.id && p.deviceOwner === 'network:router_interface' && (subnetId ? p.fixedIps.some((ip) => ip.subnet_id === subnetId) : p.id === b['port_id']),
    );
    if (!port) {
      if (subnetId) throw neutronError(404, 'RouterInterfaceNotFoundForSubnet', `Router ${x.id} has no interface on subnet ${subnetId}`);
      throw neutronError(404, 'RouterInterfaceNotFound', `Router ${x.id} does not have an interface with id ${String(b['port_id'])}`);
    }
    deletePort(ctx, port.id);
    x.revision++;
    const sid = port.fixedIps[0]?.subnet_id ?? '';
    return json(200, { network_id: port.networkId, tenant_id: x.projectId, subnet_id: sid, subnet_ids: [sid], port_id: port.id, id: x.id });
  });
  r.on('DELETE', '/routers/:id', (req) => {
    const a = auth(req);
    const x = router(a, req.params['id']);
    const attached = [...state.ports.values()].filter((p) => p.deviceId === x.id && p.deviceOwner === 'network:router_interface').map((p) => p.id);
    if (attached.length > 0) throw neutronError(409, 'RouterInUse', `Router ${x.id} has ports still attached: ${attached.join(', ')}`);
    if (x.gateway) deletePort(ctx, x.gateway.portId);
    state.routers.delete(x.id);
    return json(204);
  });


  // ---- floating IPs
  r.on('GET', '/floatingips', (req) => {
    const a = auth(req);
    return filterList('floatingips', [...state.floatingIps.values()].filter((f) => sees(a, f)).map((f) => renderFloatingIp(ctx, f)), req);
  });
  r.on('GET', '/floatingips/:id', (req) => json(200, { floatingip: renderFloatingIp(ctx, fip(auth(req), req.params['id'])) }));
  r.on('POST', '/floatingips', (req) => {
    const a = auth(req);
    const b = body(req, 'floatingip');
    const networkId = str(b, 'floating_network_id') ?? '';
    const ext = state.networks.get(networkId);
    if (!ext) throw neutronError(404, 'NetworkNotFound', `Network ${networkId} could not be found.`);
    if (!ext.external) throw neutronError(400, 'BadRequest', `Bad floatingip request: Network ${networkId} is not a valid external network.`);
    const projectId = projectOf(a, b);
    checkQuota(a, 'floatingip', state.count(state.floatingIps, projectId));
    const extSubnet = [...state.subnets.values()].find((s) => s.networkId === networkId && s.ipVersion === 4);
    const wanted = str(b, 'floating_ip_address');
    const holder = createPort(ctx, {
      networkId,
      projectId: '',
      deviceOwner: 'network:floatingip',
      fixedIps: extSubnet ? [wanted ? { subnet_id: extSubnet.id, ip_address: wanted } : { subnet_id: extSubnet.id }] : undefined,
    });
    const address = holder.fixedIps[0]?.ip_address;
    if (!address) {
      deletePort(ctx, holder.id);
      throw neutronError(409, 'IpAddressGenerationFailure', `No more IP addresses available on network ${networkId}.`);
    }
    const t = now();
    const f: SimFloatingIp = { id: uuid(), address, networkId, projectId, portId: null, fixedIp: null, routerId: null, description: str(b, 'description') ?? '', holderPortId: holder.id, createdAt: t, updatedAt: t, revision: 0 };
    holder.deviceId = f.id;
    const portId = str(b, 'port_id');
    try {
      if (portId) associate(a, f, portId, str(b, 'fixed_ip_address'));
    } catch (error) {
      deletePort(ctx, holder.id);
      throw error;
    }
    state.floatingIps.set(f.id, f);
    return json(201, { floatingip: renderFloatingIp(ctx, f) });
  });
  r.on('PUT', '/floatingips/:id', (req) => {
    const a = auth(req);
    const f = fip(a, req.params['id']);
    const b = body(req, 'floatingip');
    if ('port_id' in b) associate(a, f, (b['port_id'] as string | null) ?? null, str(b, 'fixed_ip_address'));
    if (typeof b['description'] === 'string') f.description = b['description'];
    f.updatedAt = now();
    f.revision++;
    return json(200, { floatingip: renderFloatingIp(ctx, f) });
  });
  r.on('DELETE', '/floatingips/:id', (req) => {
    const f = fip(auth(req), req.params['id']);
    deletePort(ctx, f.holderPortId);
    state.floatingIps.delete(f.id);
    return json(204);
  });

  return r;
}
