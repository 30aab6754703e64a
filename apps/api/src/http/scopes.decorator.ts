// Route metadata read by the API guard: which routes are anonymous and which need the write
// scope (reference §3.1: `offline_access` or `fts:submit-transfer` on POST/PUT/PATCH/DELETE).
import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'baton:public';
export const WRITE_ROUTE = 'baton:write';

/** Anonymous route: `/`, `/info`, probes, metrics, the OpenAPI document. */
export const PublicRoute = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/** Mutating route: needs `offline_access` (or `fts:submit-transfer`) besides `openid profile`. */
export const WriteScope = (): MethodDecorator & ClassDecorator => SetMetadata(WRITE_ROUTE, true);
