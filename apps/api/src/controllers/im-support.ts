// What both IM controllers read through the engine facade: a deployment's VMs (every resource,
// all pages), a VM by its IM number, and IM's synchronous calls, which answer once the engine's
// events say the work reached a point (the VMs exist; the infrastructure is gone).
import { HttpException } from '@nestjs/common';
import type { DeploymentEvent, DeploymentService, ResourceRecord } from '@lib/orchestrator';
import { imVms, type ImVm } from '../dtos/im-infrastructure.dto';

const PAGE = 2000;

export async function allResources(deployments: DeploymentService, id: string): Promise<ResourceRecord[]> {
  const out: ResourceRecord[] = [];
  for (let page = 0; ; page++) {
    const { items, total } = await deployments.listResources(id, { page: { page, size: PAGE, sort: [{ field: 'createdAt', direction: 'asc' }] } });
    out.push(...items);
    if (items.length < PAGE || out.length >= total) return out;
  }
}

export async function loadVms(deployments: DeploymentService, id: string): Promise<ImVm[]> {
  return imVms(await allResources(deployments, id));
}

/** The VM numbered `vm` (IM's `IncorrectVMException` is a 404). */
export function pickVm(vms: ImVm[], vm: string, infId: string): ImVm {
  const found = /^\d+$/.test(vm) ? vms.find((v) => v.id === Number(vm)) : undefined;
  if (!found) throw new HttpException(`Invalid VM ID ${vm} for infrastructure ${infId}`, 404);
  return found;
}

/**
 * Follows the deployment's events until `reached` says so, the stream ends (row deleted), or
 * `timeoutMs` passes: IM's synchronous create and destroy answer then, as IM does when its own
 * wait ends; the state tells the rest.
 */
export async function waitForEvent(deployments: DeploymentService, id: string, reached: (event: DeploymentEvent) => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    for await (const event of deployments.events(id, { signal: controller.signal })) {
      if (event.kind === 'deleted' || (await reached(event))) return;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
