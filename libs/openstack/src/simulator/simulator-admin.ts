// The admin API of the simulator, for tests: the same operations in-process (this class) and over
// HTTP (POST /admin/<operation>, see admin.routes.ts).
import type { FaultSpec, ServerFailureSpec } from './sim-controls';
import type { SimContext } from './sim-context';
import type { SimService } from './sim-http';
import type { SimQuota } from './sim-state';

/** A server as the admin API lists it (for assertions such as "exactly one server exists"). */
export interface SimServerSummary {
  id: string;
  name: string;
  status: string;
  projectId: string;
  metadata: Record<string, string>;
  addresses: string[];
}

export class SimulatorAdmin {
  private poolIndex = 0;

  constructor(private readonly ctx: SimContext) {}

  /** Boot time of new servers (all, or those whose name matches `namePattern`). */
  setBootTime(ms: number, namePattern?: string): void {
    if (namePattern === undefined) this.ctx.controls.bootTimeMs = ms;
    else this.ctx.controls.bootTimes.unshift({ pattern: new RegExp(namePattern), ms });
  }

  /** Time from DELETE to 404 of a server. */
  setDeleteTime(ms: number): void {
    this.ctx.controls.deleteTimeMs = ms;
  }

  /** Time a volume spends creating/attaching. */
  setVolumeTime(ms: number): void {
    this.ctx.controls.volumeTimeMs = ms;
  }

  /** Delay before every API answer (of one service, or all: which also clears per-service ones). */
  setLatency(ms: number, service?: SimService): void {
    const latency = this.ctx.controls.latencyMs;
    if (service === undefined) for (const key of Object.keys(latency)) delete latency[key as SimService];
    latency[service ?? '*'] = ms;
  }

  /** Injects failures (5xx/429 answers or dropped connections); returns the rule's id. */
  injectFault(spec: FaultSpec): number {
    return this.ctx.controls.addFault(spec);
  }

  /** How many requests a fault rule has failed so far. */
  faultHits(id: number): number {
    return this.ctx.controls.faults.find((f) => f.id === id)?.hits ?? 0;
  }

  clearFaults(): void {
    this.ctx.controls.faults.length = 0;
  }

  /** Sets quotas of a project (by name; the default project when absent), or the default quota with `'*'`. */
  setQuota(quota: Partial<SimQuota>, projectName?: string): void {
    const state = this.ctx.state;
    if (projectName === '*') {
      Object.assign(state.defaultQuota, quota);
      return;
    }
    const project = projectName ? state.projectByName(projectName, 'default') : [...state.projects.values()][0];
    if (!project) throw new TypeError(`no project named ${projectName}`);
    state.quotas.set(project.id, { ...state.quota(project.id), ...quota });
  }

  /** The next matching servers go to ERROR with this fault instead of ACTIVE. */
  failServers(spec: ServerFailureSpec = {}): void {
    this.ctx.controls.serverFailures.push({
      pattern: spec.namePattern ? new RegExp(spec.namePattern) : undefined,
      message: spec.message ?? 'No valid host was found. ',
      remaining: spec.times ?? 1,
    });
  }

  /** Every token issued so far expires now (as if revoked or expired early): the next call gets 401. */
  expireTokens(): number {
    const now = Date.now();
    let n = 0;
    for (const token of this.ctx.state.tokens.values()) {
      if (token.expiresAt > now) {
        token.expiresAt = now - 1;
        n++;
      }
    }
    return n;
  }

  /** Binds a server's first fixed address to a reachable host (e.g. a test sshd on 127.0.0.2). */
  bindServerAddress(serverIdOrName: string, ip: string): void {
    const server =
      this.ctx.state.servers.get(serverIdOrName) ?? [...this.ctx.state.servers.values()].find((s) => s.name === serverIdOrName);
    if (!server) throw new TypeError(`no server ${serverIdOrName}`);
    const port = server.portIds.map((id) => this.ctx.state.ports.get(id)).find((p) => p !== undefined);
    if (!port) throw new TypeError(`server ${serverIdOrName} has no port`);
    port.fixedIps = [{ subnet_id: port.fixedIps[0]?.subnet_id ?? '', ip_address: ip }];
  }

  /** Every new server gets the next address of this pool (round robin), e.g. testbed hosts. */
  bindAddressPool(ips: string[]): void {
    this.ctx.controls.addressPool.splice(0, this.ctx.controls.addressPool.length, ...ips);
    this.poolIndex = 0;
  }

  /** The pool address for the next server, preferring one no live server holds. */
  nextPoolAddress(): string | undefined {
    const pool = this.ctx.controls.addressPool;
    if (pool.length === 0) return undefined;
    const held = new Set<string>();
    for (const port of this.ctx.state.ports.values()) if (port.deviceOwner === 'compute:nova') for (const ip of port.fixedIps) held.add(ip.ip_address);
    for (let i = 0; i < pool.length; i++) {
      const ip = pool[(this.poolIndex + i) % pool.length];
      if (!held.has(ip)) {
        this.poolIndex = (this.poolIndex + i + 1) % pool.length;
        return ip;
      }
    }
    const ip = pool[this.poolIndex];
    this.poolIndex = (this.poolIndex + 1) % pool.length;
    return ip;
  }

  /** All servers of all projects, including those being deleted. */
  servers(): SimServerSummary[] {
    return [...this.ctx.state.servers.values()].map((s) => ({
      id: s.id,
      name: s.name,
      status: s.status,
      projectId: s.projectId,
      metadata: { ...s.metadata },
      addresses: s.portIds.flatMap((id) => this.ctx.state.ports.get(id)?.fixedIps.map((ip) => ip.ip_address) ?? []),
    }));
  }

  /** Request counts per service and route, and how many faults were injected. */
  stats(): { requests: Record<string, number>; routes: Record<string, number>; injectedFaults: number; servers: number; volumes: number; floatingIps: number } {
    const c = this.ctx.controls;
    return {
      requests: { ...c.requests },
      routes: { ...c.routeCounts },
      injectedFaults: c.injected,
      servers: this.ctx.state.servers.size,
      volumes: this.ctx.state.volumes.size,
      floatingIps: this.ctx.state.floatingIps.size,
    };
  }

  /** Zeroes the request counters (between test cases). */
  resetStats(): void {
    const c = this.ctx.controls;
    for (const k of Object.keys(c.requests)) delete c.requests[k];
    for (const k of Object.keys(c.routeCounts)) delete c.routeCounts[k];
    c.injected = 0;
  }
}
