// The timed life cycle of a simulated Nova server: BUILD → ACTIVE or ERROR, reboots, and the
// asynchronous delete (task_state deleting, then gone, taking its ports, volumes and group
// membership with it).
import { deletePort } from './neutron-ops';
import type { SimContext } from './sim-context';
import type { SimServer } from './sim-state';

/** BUILD (scheduling, then spawning) → ACTIVE after the boot time, or ERROR with a fault. */
export function scheduleBoot(ctx: SimContext, server: SimServer, schedulerFault?: string): void {
  const boot = ctx.controls.bootTimeFor(server.name);
  const failure = schedulerFault ?? ctx.controls.takeServerFailure(server.name);
  const spawning = setTimeout(() => {
    if (server.taskState !== 'scheduling') return;
    Object.assign(server, { taskState: 'spawning', updatedAt: Date.now() });
  }, Math.floor(boot * 0.3));
  const done = setTimeout(() => {
    if (server.taskState === 'deleting') return;
    const now = Date.now();
    if (failure !== undefined) {
      Object.assign(server, {
        status: 'ERROR',
        vmState: 'error',
        taskState: null,
        powerState: 0,
        updatedAt: now,
        fault: { code: 500, message: failure, created: now, details: 'Traceback (most recent call last): simulated' },
      });
      // Nova deallocates the networks of an instance that failed to build.
      for (const id of server.createdPortIds) deletePort(ctx, id);
      return;
    }
    Object.assign(server, { status: 'ACTIVE', vmState: 'active', taskState: null, powerState: 1, updatedAt: now, launchedAt: now });
    for (const id of server.portIds) {
      const port = ctx.state.ports.get(id);
      if (port) Object.assign(port, { status: 'ACTIVE', hostId: 'ossim-host', updatedAt: now, revision: port.revision + 3 });
    }
  }, boot);
  spawning.unref();
  done.unref();
  server.timers.push(spawning, done);
}

/** REBOOT or HARD_REBOOT (task_state reboot_started(_hard)) for a tenth of the boot time, then ACTIVE. */
export function reboot(ctx: SimContext, server: SimServer, hard: boolean): void {
  Object.assign(server, { status: hard ? 'HARD_REBOOT' : 'REBOOT', taskState: hard ? 'reboot_started_hard' : 'reboot_started' });
  const timer = setTimeout(() => {
    if (server.taskState === 'deleting') return;
    Object.assign(server, { status: 'ACTIVE', vmState: 'active', taskState: null, powerState: 1, updatedAt: Date.now() });
  }, Math.floor(ctx.controls.bootTimeFor(server.name) / 10));
  timer.unref();
  server.timers.push(timer);
}

export function startDelete(ctx: SimContext, server: SimServer): void {
  server.taskState = 'deleting';
  server.updatedAt = Date.now();
  const finish = (): void => {
    for (const t of server.timers) clearTimeout(t);
    for (const id of [...server.volumeIds]) detachVolume(ctx, server, id);
    for (const id of server.portIds) {
      if (server.createdPortIds.includes(id)) deletePort(ctx, id);
      else {
        const port = ctx.state.ports.get(id);
        if (port) Object.assign(port, { deviceId: '', deviceOwner: '', status: 'DOWN', hostId: '' });
      }
    }
    for (const id of server.deleteOnTermination) ctx.state.volumes.delete(id);
    if (server.serverGroupId) {
      const group = ctx.state.serverGroups.get(server.serverGroupId);
      if (group) group.members = group.members.filter((id) => id !== server.id);
    }
    ctx.state.servers.delete(server.id);
  };
  if (ctx.controls.deleteTimeMs <= 0) finish();
  else {
    const timer = setTimeout(finish, ctx.controls.deleteTimeMs);
    timer.unref();
    server.timers.push(timer);
  }
}

export function detachVolume(ctx: SimContext, server: SimServer, volumeId: string): void {
  server.volumeIds = server.volumeIds.filter((id) => id !== volumeId);
  const volume = ctx.state.volumes.get(volumeId);
  if (!volume) return;
  volume.attachments = volume.attachments.filter((a) => a.serverId !== server.id);
  if (volume.attachments.length === 0 && (volume.status === 'in-use' || volume.status === 'attaching')) volume.status = 'available';
  volume.updatedAt = Date.now();
}
