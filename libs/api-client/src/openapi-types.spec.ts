// The client's types are generated from the committed OpenAPI document: they must be what
// openapi-typescript makes of it today, or the client may type a call the API does not take.
// Regenerate with `npm run gen:api-client`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import { describe, expect, it } from 'vitest';

const REPO = join(__dirname, '../../..');

describe('openapi.types.ts', () => {
  it('is what openapi-typescript generates from apps/api/openapi.json', async () => {
    const document = JSON.parse(readFileSync(join(REPO, 'apps/api/openapi.json'), 'utf8')) as Parameters<typeof openapiTS>[0];
    const generated = astToString(await openapiTS(document));
    const committed = readFileSync(join(__dirname, 'openapi.types.ts'), 'utf8');
    // The CLI adds a header comment of its own; compare from the first declaration on.
    const body = (text: string): string => text.slice(text.indexOf('export interface paths'));
    expect(body(committed)).toBe(body(generated));
  });
});
