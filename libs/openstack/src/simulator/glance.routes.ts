// Glance (image /v2) of the simulator: list with filters and marker paging, show, create,
// upload (PUT file → active), delete. Errors are Glance's small HTML pages.
import { createHash } from 'node:crypto';
import type { SimContext } from './sim-context';
import { json, nowIso, SimHttpError, type SimRequest, SimRouter, str } from './sim-http';
import { type SimImage, uuid } from './sim-state';

export function renderImage(img: SimImage): Record<string, unknown> {
  return {
    ...img.properties,
    name: img.name,
    disk_format: img.diskFormat,
    container_format: img.containerFormat,
    visibility: img.visibility,
    size: img.size,
    virtual_size: img.size,
    status: img.status,
    checksum: img.checksum,
    protected: img.protected,
    min_ram: img.minRam,
    min_disk: img.minDisk,
    owner: img.owner,
    os_hidden: false,
    os_hash_algo: img.checksum ? 'sha512' : null,
    os_hash_value: img.checksum ? createHash('sha512').update(img.id).digest('hex') : null,
    id: img.id,
    created_at: nowIso(img.createdAt),
    updated_at: nowIso(img.updatedAt),
    tags: img.tags,
    self: `/v2/images/${img.id}`,
    file: `/v2/images/${img.id}/file`,
    schema: '/v2/schemas/image',
  };
}

const CORE = new Set(['name', 'disk_format', 'container_format', 'visibility', 'min_ram', 'min_disk', 'tags', 'protected', 'id']);

export function glanceRoutes(ctx: SimContext): SimRouter {
  const state = ctx.state;
  const sees = (projectId: string, img: SimImage): boolean => img.visibility === 'public' || img.visibility === 'community' || img.owner === projectId;
  const image = (req: SimRequest): SimImage => {
    const a = ctx.authenticate(req);
    const img = state.images.get(req.params['id']);
    if (!img || (!sees(a.projectId, img) && !a.isAdmin)) throw new SimHttpError(404, `No image found with ID ${req.params['id']}`);
    return img;
  };

  return new SimRouter()
    .on('GET', '/images', (req) => {
      const a = ctx.authenticate(req);
      const q = req.query;
      const limit = Math.min(Number(q.get('limit') ?? '25') || 25, 1000);
      let list = [...state.images.values()]
        .filter((i) => sees(a.projectId, i) || a.isAdmin)
        .filter((i) => !q.get('name') || i.name === q.get('name'))
        .filter((i) => !q.get('status') || i.status === q.get('status'))
        .filter((i) => !q.get('visibility') || i.visibility === q.get('visibility'))
        .filter((i) => !q.get('owner') || i.owner === q.get('owner'))
        // Glance's default sort: created_at desc, then id desc.
        .sort((x, y) => y.createdAt - x.createdAt || (x.id < y.id ? 1 : -1));
      const marker = q.get('marker');
      if (marker) {
        const i = list.findIndex((x) => x.id === marker);
        if (i < 0) throw new SimHttpError(400, `Invalid marker. Image ${marker} could not be found.`);
        list = list.slice(i + 1);
      }
      const page = list.slice(0, limit);
      const body: Record<string, unknown> = { images: page.map(renderImage), first: '/v2/images', schema: '/v2/schemas/images' };
      // Glance links a next page whenever a page is full, even if nothing follows.
      if (page.length === limit) {
        const params = new URLSearchParams(q);
        params.set('marker', page[page.length - 1].id);
        params.set('limit', String(limit));
        body['next'] = `/v2/images?${params.toString()}`;
      }
      return json(200, body);
    })
    .on('GET', '/images/:id', (req) => json(200, renderImage(image(req))))
    .on('POST', '/images', (req) => {
      const a = ctx.authenticate(req);
      const b = (req.body ?? {}) as Record<string, unknown>;
      const id = str(b, 'id') ?? uuid();
      if (state.images.has(id)) throw new SimHttpError(409, `Image with identifier ${id} already exists!`);
      const t = Date.now();
      const properties = Object.fromEntries(Object.entries(b).filter(([k]) => !CORE.has(k)));
      const img: SimImage = {
        id,
        name: str(b, 'name') ?? null,
        status: 'queued',
        visibility: str(b, 'visibility') ?? 'shared',
        diskFormat: str(b, 'disk_format') ?? null,
        containerFormat: str(b, 'container_format') ?? null,
        size: null,
        checksum: null,
        owner: a.projectId,
        minDisk: typeof b['min_disk'] === 'number' ? b['min_disk'] : 0,
        minRam: typeof b['min_ram'] === 'number' ? b['min_ram'] : 0,
        tags: Array.isArray(b['tags']) ? (b['tags'] as string[]) : [],
        properties,
        createdAt: t,
        updatedAt: t,
        protected: b['protected'] === true,
      };
      state.images.set(id, img);
      return json(201, renderImage(img), { Location: `${req.origin}/image/v2/images/${id}` });
    })
    .on('PUT', '/images/:id/file', (req) => {
      const img = image(req);
      const raw = (req as SimRequest & { raw?: Buffer }).raw ?? Buffer.alloc(0);
      Object.assign(img, { status: 'active', size: raw.length, checksum: createHash('md5').update(raw).digest('hex'), updatedAt: Date.now() });
      img.properties['stores'] = 'file';
      return json(204);
    })
    .on('DELETE', '/images/:id', (req) => {
      const img = image(req);
      if (img.protected) throw new SimHttpError(403, `Image ${img.id} is protected and cannot be deleted.`);
      state.images.delete(img.id);
      return json(204);
    })
    .on('GET', '/schemas/image', () => json(200, { name: 'image', properties: {}, additionalProperties: { type: 'string' }, links: [] }))
    .on('GET', '/schemas/images', () => json(200, { name: 'images', properties: { images: { type: 'array' } }, links: [] }));
}
