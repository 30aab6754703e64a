// Glance (image /v2): images by id or name, following Glance's `next` links for paging.
import { OpenStackNameLookupError } from './errors';
import type { CallOptions, OpenStackSession } from './openstack.session';
import { orGone } from './wait-for';

export interface Image {
  id: string;
  name: string | null;
  status: 'queued' | 'saving' | 'active' | 'killed' | 'deleted' | 'pending_delete' | 'deactivated' | 'uploading' | 'importing';
  visibility: 'public' | 'private' | 'shared' | 'community';
  disk_format: string | null;
  container_format: string | null;
  size: number | null;
  min_disk: number;
  min_ram: number;
  owner: string;
  tags: string[];
  created_at: string;
  updated_at: string;
  [property: string]: unknown;
}

export interface ImageListFilters {
  name?: string;
  status?: Image['status'];
  visibility?: Image['visibility'];
  /** Page size (Glance's default is 25, its maximum usually 1000). */
  pageSize?: number;
  /** Stop after this many images. */
  max?: number;
}

export class ImageClient {
  constructor(private readonly session: OpenStackSession) {}

  /** All images matching the filters, across every page. */
  async listImages(filters: ImageListFilters = {}, options: CallOptions = {}): Promise<Image[]> {
    const images: Image[] = [];
    let query: Record<string, string | number | undefined> = { name: filters.name, status: filters.status, visibility: filters.visibility, limit: filters.pageSize };
    // Bounded: a misbehaving server that keeps sending `next` cannot loop us forever.
    for (let page = 0; page < 10_000; page++) {
      const body = (await this.session.request<{ images: Image[]; next?: string }>('image', 'GET', '/images', { ...options, query })).body;
      images.push(...body.images);
      if (!body.next || body.images.length === 0 || (filters.max !== undefined && images.length >= filters.max)) break;
      // `next` is "/v2/images?marker=...&limit=..."; keep only its query.
      query = Object.fromEntries(new URL(body.next, 'http://x').searchParams);
    }
    return filters.max !== undefined ? images.slice(0, filters.max) : images;
  }

  async getImage(id: string, options: CallOptions = {}): Promise<Image> {
    return (await this.session.request<Image>('image', 'GET', `/images/${encodeURIComponent(id)}`, options)).body;
  }

  /** An image by id, or by unique name. */
  async findImage(nameOrId: string, options: CallOptions = {}): Promise<Image> {
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(nameOrId)) {
      const byId = await orGone(this.getImage(nameOrId, options));
      if (byId) return byId;
    }
    const byName = await this.listImages({ name: nameOrId }, options);
    if (byName.length !== 1) throw new OpenStackNameLookupError('image', nameOrId, byName.length);
    return byName[0];
  }
}
