// The API's root module: controllers over the engine facade, the auth guard and the one error
// filter. It receives its collaborators already built by the composition root (see main.ts),
// so the same module serves `baton serve`, the e2e tests and the bench.
import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { Registry } from 'prom-client';
import { AuthModule, type Authenticator } from '@lib/auth';
import type { DeploymentService } from '@lib/orchestrator';
import { API_OPTIONS, DELEGATION, DEPLOYMENT_SERVICE, METRICS_REGISTRY, type ApiOptions, type Delegation } from './api.tokens';
import { DeploymentStreamsController } from './controllers/deployment-streams.controller';
import { DeploymentsController } from './controllers/deployments.controller';
import { HealthController } from './controllers/health.controller';
import { ImInfrastructuresController } from './controllers/im-infrastructures.controller';
import { ImVersionController } from './controllers/im-version.controller';
import { ImVmsController } from './controllers/im-vms.controller';
import { MetricsController } from './controllers/metrics.controller';
import { ResourcesController } from './controllers/resources.controller';
import { RootController } from './controllers/root.controller';
import { TemplatesController } from './controllers/templates.controller';
import { ApiExceptionFilter } from './http/api-exception.filter';

/** Everything the API needs, built by the caller. */
export interface ApiDependencies {
  deployments: DeploymentService;
  options: ApiOptions;
  registry: Registry;
  /** libs/auth: the bearer verifier, or the local user when auth is off. */
  authenticator: Authenticator;
  /** RFC 8693 delegation on mutating calls; null when auth is off or no client is configured. */
  delegation: Delegation | null;
}

export const API_CONTROLLERS = [
  RootController,
  HealthController,
  MetricsController,
  TemplatesController,
  DeploymentsController,
  DeploymentStreamsController,
  ResourcesController,
  // The Infrastructure Manager's REST API over the same deployments (the VM routes first: more specific paths).
  ImVmsController,
  ImInfrastructuresController,
  ImVersionController,
];

@Module({})
export class AppModule {
  static register(deps: ApiDependencies): DynamicModule {
    return {
      module: AppModule,
      imports: [AuthModule.register(deps.authenticator)],
      controllers: API_CONTROLLERS,
      providers: [
        { provide: DEPLOYMENT_SERVICE, useValue: deps.deployments },
        { provide: API_OPTIONS, useValue: deps.options },
        { provide: METRICS_REGISTRY, useValue: deps.registry },
        { provide: DELEGATION, useValue: deps.delegation },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
      ],
    };
  }
}
