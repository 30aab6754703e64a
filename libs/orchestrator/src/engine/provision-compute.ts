// Provisions one Compute instance: server from host/os capabilities (smallest fitting flavor,
// image by name or match), its volumes, a floating IP when the endpoint is public, then waits
// for SSH only when something will configure it.
import type { NodeTemplateModel } from '@lib/tosca';
import type { ServerInfo } from '../cloud.port';
import { classifyFailure, permanent, retryable, WorkflowFailureError, type Failure } from '../workflow/failure';
import { ensureCloudObject, namePrefix, StaleWorkflowError } from './cloud-objects';
import { isPublic, templatesNeedingSsh } from './endpoint-rules';
import { hostRequirementsOf, osRequirementsOf, pickFlavor, pickImage } from './flavor-match';
import { sleep, type StepWork } from './step-work';
import { virtualMachineInfo } from './vm-info';

const STILL_CURRENT_EVERY_MS = 1000;

export interface ProviderMappings {
  images?: Record<string, string>;
}

export async function provisionCompute(work: StepWork, node: NodeTemplateModel, mappings: ProviderMappings = {}): Promise<void> {
  const { ctx, deployment, spec, session, provider } = work;
  const prefix = namePrefix(deployment.id);
  const tags = { deploymentId: deployment.id };
  const ref = (kind: 'server' | 'floating_ip', name: string) => ({ deploymentId: deployment.id, provider: provider.name, kind, name, instanceId: spec.instanceId });

  const [flavors, images] = await Promise.all([session.listFlavors(), session.listImages()]);
  const hostReq = hostRequirementsOf(node);
  const flavor = pickFlavor(flavors, hostReq);
  if (!flavor) {
    throw permanent(
      'no_fitting_flavor',
      `No flavor of provider ${provider.name} fits ${spec.instanceId} (${hostReq.instanceType ?? `${hostReq.numCpus ?? 0} CPUs, ${hostReq.memSizeMb ?? 0} MB RAM, ${hostReq.diskSizeGb ?? 0} GB disk`})`,
    );
  }
  const osReq = osRequirementsOf(node);
  const image = pickImage(images, osReq, mappings.images);
  if (!image) throw permanent('no_matching_image', `No image of provider ${provider.name} matches ${spec.instanceId} (${osReq.image ?? JSON.stringify(osReq)})`);

  const networkId = await idOf(work, 'network', `${prefix}-net`);
  const keyName = `${prefix}-key`;
  await idOf(work, 'keypair', keyName);
  const sgId = await idOf(work, 'security_group', `${prefix}-${spec.template}-sg`);

  const serverName = `${prefix}-${spec.instanceId}`;
  const serverId = await ensureCloudObject(ctx.store, session, ref('server', serverName), work.stillCurrent, async () => {
    await work.log.write(`${spec.instanceId}: creating server ${serverName} (flavor ${flavor.name}, image ${image.name}) on ${provider.name}`);
    return session.createServer({ name: serverName, flavorId: flavor.id, imageId: image.id, networkId, securityGroupIds: [sgId], keyName, metadata: { PAAS_DEP_UUID: deployment.id, baton_instance: spec.instanceId } }, tags);
  });
  await ctx.store.updateResource(deployment.id, work.resource.id, { physicalId: serverId });

  let server = await waitActive(work, serverId);

  for (const req of spec.requirements.filter((r) => r.requirement === 'local_storage' || r.relationship.endsWith('AttachesTo'))) {
    const volume = (await ctx.store.listResources(deployment.id, {})).rows.find((r) => r.instanceId === req.target);
    const attached = (work.resource.attributes.__attached as string[] | undefined) ?? [];
    if (volume?.physicalId && !attached.includes(volume.physicalId)) {
      await session.attachVolume(serverId, volume.physicalId);
      await ctx.store.updateResource(deployment.id, work.resource.id, { attributes: { __attached: [...attached, volume.physicalId] } });
    }
  }

  if (isPublic(node)) {
    let fipAddress: string | undefined;
    await ensureCloudObject(ctx.store, session, ref('floating_ip', `${serverName}-fip`), work.stillCurrent, async () => {
      const fip = await session.attachFloatingIp(`${serverName}-fip`, serverId, tags);
      fipAddress = fip.address;
      return fip;
    });
    server = (await session.getServer(serverId)) ?? server;
    // Real Nova lists a new floating IP only after its network info cache refreshes (seconds later).
    if (!server.publicAddress && fipAddress) server = { ...server, publicAddress: fipAddress };
  }

  const publicAddress = server.publicAddress ?? server.privateAddress;
  const attributes: Record<string, unknown> = {
    tosca_id: serverId,
    tosca_name: spec.instanceId,
    private_address: server.privateAddress ?? null,
    public_address: publicAddress ?? null,
    ip_address: publicAddress ?? null,
    networks: { private: { network_name: 'private', addresses: server.privateAddress ? [server.privateAddress] : [] } },
    ssh_endpoint: server.ssh ?? null,
    // The login, never the key: outputs and API responses must not carry private keys.
    'endpoint.credential': { user: provider.sshUser, token_type: 'private_key' },
    ssh_user: provider.sshUser,
  };
  await ctx.store.updateResource(deployment.id, work.resource.id, {
    attributes,
    vmInfo: { ...virtualMachineInfo({ template: spec.template, server: { ...server, id: serverId }, serverName, flavor, image, providerEndpoint: provider.endpoint.cpEndpoint }) },
  });

  if (templatesNeedingSsh(deployment.compiled.topology).has(spec.template)) {
    if (!server.ssh) {
      throw permanent(
        'ssh_endpoint_missing',
        `${spec.instanceId}: server ${serverName} has no SSH endpoint, so its playbooks cannot run (a simulated server has one only when a host is bound to it)`,
      );
    }
    const { privateKey } = await work.keyPair();
    await work.log.write(`${spec.instanceId}: waiting for SSH on ${server.ssh.host}:${server.ssh.port}`);
    try {
      await ctx.runner.waitForSsh({ host: server.ssh.host, port: server.ssh.port, user: provider.sshUser, privateKey }, { timeoutMs: ctx.timings.sshTimeoutMs, signal: work.signal });
    } catch (cause) {
      if (work.signal.aborted) throw cause;
      const failure = classifyFailure(cause);
      // Waiting again cannot help: the wait already retried for as long as sshTimeoutMs allows.
      throw new WorkflowFailureError({ ...failure, retryable: false, message: `${spec.instanceId}: ${sshReason(failure, `${server.ssh.host}:${server.ssh.port}`, ctx.timings.sshTimeoutMs)}` }, { cause });
    }
  }
}

async function idOf(work: StepWork, kind: 'network' | 'keypair' | 'security_group', name: string): Promise<string> {
  // One row by its unique key: every step of a deployment asks, so never list them all.
  const rows = await work.ctx.store.listCloudResources(work.deployment.id, { provider: work.provider.name, kind, name });
  const row = rows.find((r) => r.status === 'created' && r.cloudId);
  if (!row?.cloudId) throw retryable('cloud_error', `${kind} ${name} is not ready yet`);
  return row.cloudId;
}

async function waitActive(work: StepWork, serverId: string): Promise<ServerInfo> {
  const { ctx, spec } = work;
  const deadline = ctx.clock().getTime() + ctx.timings.bootTimeoutMs;
  // Whether the workflow moved on is asked about once a second, not at every poll: a hundred
  // servers booting at once would otherwise spend the database on that one question.
  let askedAt = 0;
  for (;;) {
    const server = await work.session.getServer(serverId);
    if (!server) {
      // Gone because the attempt was cleaned under this step (a sibling failed, a time-out): not news.
      if (!(await work.stillCurrent())) throw new StaleWorkflowError(work.deployment.id);
      throw retryable('server_error', `server ${serverId} of ${spec.instanceId} vanished`);
    }
    if (server.status === 'ACTIVE') return server;
    if (server.status === 'ERROR') throw permanent('server_error', `${spec.instanceId}: server went to ERROR: ${server.fault ?? 'no fault given'}`);
    if (ctx.clock().getTime() > deadline) throw permanent('boot_timeout', `${spec.instanceId}: server not ACTIVE after ${Math.round(ctx.timings.bootTimeoutMs / 1000)} s (status ${server.status})`);
    if (ctx.clock().getTime() - askedAt >= STILL_CURRENT_EVERY_MS) {
      askedAt = ctx.clock().getTime();
      if (!(await work.stillCurrent())) throw new StaleWorkflowError(work.deployment.id);
    }
    await sleep(ctx.timings.pollMs, work.signal);
  }
}

/** What the wait for SSH met, in words: the runner's error code says which (never its text). */
function sshReason(failure: Failure, where: string, timeoutMs: number): string {
  switch (failure.code) {
    case 'runner_ssh_auth_failed':
      return `SSH on ${where} refused the deployment's key (${failure.message})`;
    case 'runner_host_key_mismatch':
      return `SSH on ${where}: host key mismatch (${failure.message})`;
    case 'runner_ssh_connect_failed':
      return `SSH on ${where} did not answer within ${Math.round(timeoutMs / 1000)} s (${failure.message})`;
    default:
      return `SSH on ${where} failed: ${failure.message}`;
  }
}
