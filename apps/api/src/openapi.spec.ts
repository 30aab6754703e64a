// The committed OpenAPI document (apps/api/openapi.json) is the contract clients are generated
// from (STYLE.md rule 25): it must equal what the controllers generate. Regenerate with
// `npm run gen:api-client` (this document, then the typed client's types in libs/api-client).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Registry } from 'prom-client';
import { LocalAuthenticator } from '@lib/auth';
import type { DeploymentService } from '@lib/orchestrator';
import { buildOpenApiDocument, createApi } from './main';

const COMMITTED = join(__dirname, '..', 'openapi.json');

/** Generating the document calls no engine method: any call fails the test (strict). */
const ENGINE_METHODS = ['create', 'list', 'get', 'update', 'reset', 'delete', 'getTemplate', 'getLog', 'streamLog', 'getExtraInfo', 'listResources', 'getResource', 'resourceAction', 'events', 'validate'];
const noEngine = Object.fromEntries(
  ENGINE_METHODS.map((name) => [
    name,
    () => {
      throw new Error(`unexpected engine call: ${name}`);
    },
  ]),
) as unknown as DeploymentService;

let app: NestExpressApplication;

beforeAll(async () => {
  app = await createApi(
    {
      deployments: noEngine,
      authenticator: new LocalAuthenticator(),
      delegation: null,
      registry: new Registry(),
      options: { version: '0.0.0', startedAt: new Date(0), endpoints: {}, ready: async () => {} },
    },
    { logger: false, countByStatus: async () => ({}) },
  );
});

afterAll(async () => {
  await app?.close();
});

describe('openapi.json', () => {
  it('documents every reference route and the extras', () => {
    const doc = buildOpenApiDocument(app, '0.0.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/',
        '/info',
        '/configuration',
        '/healthz',
        '/readyz',
        '/metrics',
        '/templates/validate',
        '/deployments',
        '/deployments/{id}',
        '/deployments/{id}/template',
        '/deployments/{id}/log',
        '/deployments/{id}/extrainfo',
        '/deployments/{id}/events',
        '/deployments/{id}/resources',
        '/deployments/{id}/resources/filter',
        '/deployments/{id}/resources/{rid}',
        '/deployments/{id}/resources/{rid}/actions',
        // The IM API (grycap/im) over the same deployments.
        '/version',
        '/infrastructures',
        '/infrastructures/{id}',
        '/infrastructures/{id}/{prop}',
        '/infrastructures/{id}/vms/{vm}',
        '/infrastructures/{id}/vms/{vm}/{prop}',
      ].sort(),
    );
    expect(Object.keys(doc.paths['/deployments/{id}']).sort()).toEqual(['delete', 'get', 'patch', 'put']);
  });

  it('shows under each error status an example body of that status', () => {
    const doc = buildOpenApiDocument(app, '0.0.0') as unknown as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { example?: { code?: number } }> }> }>> };
    const errorAnswers = Object.values(doc.paths)
      .flatMap((operations) => Object.values(operations))
      .flatMap((operation) => Object.entries(operation.responses).filter(([status]) => Number(status) >= 400));
    expect(errorAnswers.length).toBeGreaterThan(5);
    for (const [status, response] of errorAnswers) {
      const example = response.content?.['application/json']?.example;
      if (example) expect(example.code, `example under ${status}`).toBe(Number(status));
    }
    expect(errorAnswers.filter(([, r]) => r.content?.['application/json']?.example).map(([status]) => status)).toEqual(expect.arrayContaining(['400', '401', '403', '404', '409']));
  });

  it('equals the committed copy', () => {
    const generated = `${JSON.stringify(buildOpenApiDocument(app, '0.0.0'), null, 2)}\n`;
    if (process.env.BATON_WRITE_OPENAPI === '1') writeFileSync(COMMITTED, generated);
    expect(JSON.parse(readFileSync(COMMITTED, 'utf8'))).toEqual(JSON.parse(generated));
  });
});
