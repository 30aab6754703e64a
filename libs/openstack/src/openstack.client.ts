// The facade: one authenticated session shared by the per-service clients.
import { ComputeClient } from './compute.client';
import { ImageClient } from './image.client';
import { NetworkClient } from './network.client';
import { type CallOptions, type OpenStackClientOptions, OpenStackSession } from './openstack.session';
import { VolumeClient } from './volume.client';

export class OpenStackClient {
  readonly session: OpenStackSession;
  readonly compute: ComputeClient;
  readonly network: NetworkClient;
  readonly image: ImageClient;
  readonly volume: VolumeClient;

  constructor(options: OpenStackClientOptions) {
    this.session = new OpenStackSession(options);
    this.compute = new ComputeClient(this.session);
    this.network = new NetworkClient(this.session);
    this.image = new ImageClient(this.session);
    this.volume = new VolumeClient(this.session);
  }

  /** Logs in now (otherwise the first call does) and returns the scoped project's id. */
  async authenticate(options: CallOptions = {}): Promise<{ projectId: string; userId: string; expiresAt: Date }> {
    const token = await this.session.token(options);
    return { projectId: token.projectId, userId: token.userId, expiresAt: new Date(token.expiresAt) };
  }

  /** Closes pooled connections. */
  close(): void {
    this.session.close();
  }
}
