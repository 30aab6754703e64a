// Builds the HTTP application around AppModule: Express settings the reference's clients rely on
// (trailing slashes, JSON-only bodies, X-Forwarded links), the OpenAPI document and its page.
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { PUBLIC_URL } from './dtos/common.dto';
import { AppModule, type ApiDependencies } from './app.module';
import { hostCheckMiddleware } from './http/host-check.middleware';
import { httpMetricsMiddleware } from './http/http-metrics.middleware';
import { jsonBodyMiddleware } from './http/json-body.middleware';
import { registerApiMetrics, statusCounterFrom, type StatusCounter } from './http/metrics.provider';
import { requestIdMiddleware } from './http/request-id.middleware';
import { trailingSlashMiddleware } from './http/trailing-slash.middleware';

/** Templates can be large; the reference has no stated limit. */
const BODY_LIMIT = '10mb';

export interface CreateApiOptions {
  /** Default: Nest's logger; `false` silences it (tests, bench). */
  logger?: false | Array<'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal'>;
  /** Counts by status for /metrics (default: the facade's `countByStatus`). */
  countByStatus?: StatusCounter;
}

export function buildOpenApiDocument(app: NestExpressApplication, version: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('baton')
    .setDescription('TOSCA orchestrator; a drop-in for the INDIGO PaaS Orchestrator REST API, plus validation, events, probes and metrics.')
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** A configured, not yet listening application. */
export async function createApi(deps: ApiDependencies, options: CreateApiOptions = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(deps), {
    bodyParser: false,
    logger: options.logger ?? ['log', 'warn', 'error', 'fatal'],
    abortOnError: false,
  });
  app.set('trust proxy', false);
  app.set('etag', false);
  app.disable('x-powered-by');
  const metrics = registerApiMetrics(deps.registry, options.countByStatus ?? statusCounterFrom(deps.deployments));
  app.use(requestIdMiddleware);
  if (deps.options.hostNames) app.use(hostCheckMiddleware(deps.options.hostNames));
  const publicUrl = deps.options.publicUrl?.replace(/\/+$/, '');
  if (publicUrl) {
    app.use((req: Request, _res: Response, next: NextFunction) => {
      (req as unknown as Record<symbol, string>)[PUBLIC_URL] = publicUrl;
      next();
    });
  }
  app.use(httpMetricsMiddleware(metrics));
  app.use(trailingSlashMiddleware);
  app.use(jsonBodyMiddleware);
  app.useBodyParser('json', { limit: BODY_LIMIT, type: ['application/json', 'application/*+json'] });
  app.useBodyParser('text', { limit: BODY_LIMIT, type: ['text/plain', 'text/yaml', 'text/x-yaml', 'application/yaml', 'application/x-yaml'] });
  const document = buildOpenApiDocument(app, deps.options.version);
  app.use('/openapi.json', (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    res.json(document);
  });
  SwaggerModule.setup('docs', app, document, { customSiteTitle: 'baton API', jsonDocumentUrl: 'docs/openapi.json' });
  await app.init();
  return app;
}

/** Creates the application and listens on host:port (port 0 = any free port). */
export async function startApi(deps: ApiDependencies, listen: { host: string; port: number }, options: CreateApiOptions = {}): Promise<{ app: NestExpressApplication; url: string }> {
  const app = await createApi(deps, options);
  await app.listen(listen.port, listen.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : listen.port;
  const host = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  return { app, url: `http://${host}:${port}` };
}
