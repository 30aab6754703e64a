// The compiler as the service uses it: template text + raw user parameters → CompileResult
// (@lib/tosca model.ts). The apps wire libs/tosca's compiler in; tests may pass the same.
import type { CompileResult } from '@lib/tosca';

export type TemplateCompiler = (template: string, parameters: Record<string, unknown>) => Promise<CompileResult>;
