// The compiler as the service runs it (issue 8): every template is the caller's, so imports reach
// only the catalogue and the types folder, the configured bounds apply, and, with threads, the
// compile runs in worker threads with a deadline instead of on the API's event loop.
import { compile, createCompilePool, type CompileLimits, type Value } from '@lib/tosca';
import type { TemplateCompiler } from './template-compiler.port';

export interface ServiceCompilerOptions {
  /** Worker threads that compile (0 = in the caller's thread, for tests and tools). */
  threads: number;
  /** Deadline of one compile in a thread (default 10 s). */
  deadlineMs?: number;
  limits?: Partial<CompileLimits>;
}

export interface ServiceCompiler {
  compile: TemplateCompiler;
  /** Stops the threads; compiles still waiting answer `compile_aborted`. */
  close(): Promise<void>;
}

/** The compiler of templates sent to the service. */
export function createServiceCompiler(options: ServiceCompilerOptions): ServiceCompiler {
  const pool = options.threads > 0 ? createCompilePool({ threads: options.threads, ...(options.deadlineMs ? { deadlineMs: options.deadlineMs } : {}) }) : undefined;
  return {
    compile: (template, parameters) => {
      const entry = { text: template, file: 'template.yaml' };
      const compileOptions = { inputs: parameters as Record<string, Value>, imports: 'catalogue' as const, ...(options.limits ? { limits: options.limits } : {}) };
      return pool ? pool.compile(entry, compileOptions) : compile(entry, compileOptions);
    },
    close: async () => pool?.close(),
  };
}
