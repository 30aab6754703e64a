// The typed client of baton's REST API (STYLE.md rule 2: the lib's one public door).
export { ApiError, OrchestratorClient } from './orchestrator.client';
export type { DeploymentEventView, DeploymentRequest, DeploymentView, DiagnosticView, ResourceView, TemplateValidation } from './orchestrator.client';
export type { components, paths } from './openapi.types';
