// The admin API over HTTP (for a simulator in another process, e.g. `baton cloud-sim` or the
// bench): POST /admin/<operation> with a JSON body, GET /admin/stats and /admin/servers.
import { json, SimHttpError, type SimRequest, SimRouter } from './sim-http';
import type { SimulatorAdmin } from './simulator-admin';

export function adminRoutes(admin: SimulatorAdmin): SimRouter {
  const b = (req: SimRequest): Record<string, unknown> => (req.body ?? {}) as Record<string, unknown>;
  const num = (v: unknown, name: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new SimHttpError(400, `${name} must be a number`);
    return v;
  };
  return new SimRouter()
    .on('GET', '/stats', () => json(200, admin.stats()))
    .on('GET', '/servers', () => json(200, { servers: admin.servers() }))
    .on('POST', '/reset-stats', () => (admin.resetStats(), json(204)))
    .on('POST', '/boot-time', (req) => (admin.setBootTime(num(b(req)['ms'], 'ms'), b(req)['namePattern'] as string | undefined), json(204)))
    .on('POST', '/delete-time', (req) => (admin.setDeleteTime(num(b(req)['ms'], 'ms')), json(204)))
    .on('POST', '/volume-time', (req) => (admin.setVolumeTime(num(b(req)['ms'], 'ms')), json(204)))
    .on('POST', '/latency', (req) => (admin.setLatency(num(b(req)['ms'], 'ms'), b(req)['service'] as never), json(204)))
    .on('POST', '/faults', (req) => json(201, { id: admin.injectFault(b(req)) }))
    .on('GET', '/faults/:id', (req) => json(200, { hits: admin.faultHits(Number(req.params['id'])) }))
    .on('DELETE', '/faults', () => (admin.clearFaults(), json(204)))
    .on('POST', '/quotas', (req) => (admin.setQuota(b(req)['quota'] as never, b(req)['project'] as string | undefined), json(204)))
    .on('POST', '/server-failures', (req) => (admin.failServers(b(req)), json(204)))
    .on('POST', '/expire-tokens', () => json(200, { expired: admin.expireTokens() }))
    .on('POST', '/bind-address', (req) => (admin.bindServerAddress(String(b(req)['server']), String(b(req)['ip'])), json(204)))
    .on('POST', '/address-pool', (req) => (admin.bindAddressPool((b(req)['ips'] as string[]) ?? []), json(204)));
}
