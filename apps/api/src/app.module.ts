// The API's root module: controllers over the engine facade, the auth guard and the one error
// filter. It receives its collaborators already built by the composition root (see main.ts),
// so the same module serves `baton serve`, the e2e tests and the bench.
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { Registry } from 'prom-client';
import type { DeploymentService } from '@lib/orchestrator';
import { API_OPTIONS, AUTHENTICATOR, DEPLOYMENT_SERVICE, METRICS_REGISTRY, type ApiOptions, type Authenticator } from './api.tokens';
import { DeploymentStreamsController } from './controllers/deployment-streams.controller';
import { DeploymentsController } from './controllers/deployments.controller';
import { HealthController } from './controllers/health.controller';
import { MetricsController } from './controllers/metrics.controller';
import { ResourcesController } from './controllers/resources.controller';
import { RootController } from './controllers/root.controller';
import { TemplatesController } from './controllers/templates.controller';
import { ApiAuthGuard } from './http/api-auth.guard';
import { ApiExceptionFilter } from './http/api-exception.filter';

/** Everything the API needs, built by the caller. */
export interface ApiDependencies {
  deployments: DeploymentService;
  options: ApiOptions;
  registry: Registry;
  /** Null = the local no-auth mode. */
  authenticator: Authenticator | null;
}

export const API_CONTROLLERS = [
  RootController,
  HealthController,
  MetricsController,
  TemplatesController,
  DeploymentsController,
  DeploymentStreamsController,
  ResourcesController,
];

@Module({})
export class AppModule {
  static register(deps: ApiDependencies): DynamicModule {
    return {
      module: AppModule,
      controllers: API_CONTROLLERS,
      providers: [
        { provide: DEPLOYMENT_SERVICE, useValue: deps.deployments },
        { provide: API_OPTIONS, useValue: deps.options },
        { provide: METRICS_REGISTRY, useValue: deps.registry },
        { provide: AUTHENTICATOR, useValue: deps.authenticator },
        { provide: APP_GUARD, useClass: ApiAuthGuard },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}
