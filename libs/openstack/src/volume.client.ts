// Cinder (block-storage /v3): volumes. Attaching goes through Nova (ComputeClient.attachVolume).
import { createOnce } from './create-once';
import type { CallOptions, OpenStackSession } from './openstack.session';
import { DEFAULT_RETRY_POLICY } from './retry-policy';
import { orGone, pollUntil, type WaitOptions } from './wait-for';

export interface Volume {
  id: string;
  name: string | null;
  status: 'creating' | 'available' | 'reserved' | 'attaching' | 'detaching' | 'in-use' | 'maintenance' | 'deleting' | 'error' | 'error_deleting' | 'downloading' | 'uploading' | 'extending';
  size: number;
  bootable: string;
  availability_zone: string;
  attachments: { server_id: string; attachment_id: string; volume_id: string; device?: string; id?: string }[];
  metadata: Record<string, string>;
  volume_type?: string | null;
  created_at: string;
  description?: string | null;
}

export interface VolumeSpec {
  name: string;
  sizeGb: number;
  imageId?: string;
  description?: string;
  metadata?: Record<string, string>;
  availabilityZone?: string;
  volumeType?: string;
}

/** The metadata key that tags a volume with the caller's idempotency key. */
const IDEMPOTENCY_KEY = 'baton_idempotency_key';

export class VolumeClient {
  constructor(private readonly session: OpenStackSession) {}

  /** Creates a volume once (tagged by name and metadata, looked up before the POST and any retry). */
  createVolume(spec: VolumeSpec, idempotencyKey: string, options: CallOptions = {}): Promise<Volume> {
    const volume: Record<string, unknown> = { name: spec.name, size: spec.sizeGb, metadata: { ...spec.metadata, [IDEMPOTENCY_KEY]: idempotencyKey } };
    if (spec.imageId) volume['imageRef'] = spec.imageId;
    if (spec.description) volume['description'] = spec.description;
    if (spec.availabilityZone) volume['availability_zone'] = spec.availabilityZone;
    if (spec.volumeType) volume['volume_type'] = spec.volumeType;
    return createOnce({
      what: `block-storage create volume ${spec.name}`,
      policy: { ...DEFAULT_RETRY_POLICY, ...this.session.options.retry },
      signal: options.signal,
      random: this.session.options.random,
      find: async () => (await this.listVolumes({ name: spec.name }, options)).find((v) => v.metadata[IDEMPOTENCY_KEY] === idempotencyKey),
      create: async () => (await this.session.request<{ volume: Volume }>('block-storage', 'POST', '/volumes', { ...options, body: { volume } })).body.volume,
    });
  }

  async getVolume(id: string, options: CallOptions = {}): Promise<Volume> {
    return (await this.session.request<{ volume: Volume }>('block-storage', 'GET', `/volumes/${encodeURIComponent(id)}`, options)).body.volume;
  }

  async listVolumes(query: { name?: string; status?: string } = {}, options: CallOptions = {}): Promise<Volume[]> {
    return (await this.session.request<{ volumes: Volume[] }>('block-storage', 'GET', '/volumes/detail', { ...options, query })).body.volumes;
  }

  /** Deletes a volume; already gone (404) counts as done. */
  async deleteVolume(id: string, options: CallOptions = {}): Promise<void> {
    await orGone(this.session.request('block-storage', 'DELETE', `/volumes/${encodeURIComponent(id)}`, options));
  }

  /** Polls until the volume has the status (available, in-use...); throws on error. */
  async waitForVolume(id: string, status: Volume['status'], options: WaitOptions = {}): Promise<Volume> {
    const volume = await pollUntil<Volume>(
      {
        resourceType: 'volume',
        id,
        get: () => this.getVolume(id, { signal: options.signal }),
        status: (v) => v?.status ?? 'gone',
        done: (v) => v?.status === status,
        failed: (v) => (v.status === 'error' || v.status === 'error_deleting' ? `volume status ${v.status}` : undefined),
      },
      options,
    );
    return volume!;
  }

  async waitForVolumeGone(id: string, options: WaitOptions = {}): Promise<void> {
    await pollUntil<Volume>(
      {
        resourceType: 'volume',
        id,
        get: () => orGone(this.getVolume(id, { signal: options.signal })),
        status: (v) => v?.status ?? 'gone',
        done: (v) => v === undefined,
        failed: (v) => (v.status === 'error_deleting' ? 'volume status error_deleting' : undefined),
      },
      options,
    );
  }
}
