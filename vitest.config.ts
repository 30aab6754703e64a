import { resolve } from 'node:path';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// One alias per lib, mirroring tsconfig "paths": every import across a lib boundary goes
// through the lib's public door (libs/<x>/src/index.ts).
const libs = ['tosca', 'openstack', 'runner', 'orchestrator', 'persistence', 'auth', 'config', 'api-client'];
const alias = Object.fromEntries(libs.map((name) => [`@lib/${name}`, resolve(__dirname, `libs/${name}/src/index.ts`)]));

// SWC instead of esbuild: NestJS dependency injection needs emitted decorator metadata.
const plugins = [swc.vite({ module: { type: 'es6' } })];

const common = { root: __dirname, resolve: { alias }, plugins };

export default defineConfig({
  ...common,
  test: {
    projects: [
      {
        ...common,
        test: {
          name: 'unit',
          include: ['libs/*/src/**/*.spec.ts', 'apps/*/src/**/*.spec.ts'],
          testTimeout: 20_000,
        },
      },
      {
        ...common,
        test: {
          name: 'int',
          include: ['libs/*/test/**/*.int-spec.ts', 'apps/*/test/**/*.int-spec.ts'],
          // The Ansible comparison has its own project (its own time-outs); `npm test` runs it after int.
          exclude: ['libs/runner/test/ansible-compat.int-spec.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
      {
        ...common,
        test: {
          name: 'ansible-compat',
          include: ['libs/runner/test/ansible-compat.int-spec.ts'],
          testTimeout: 600_000,
          hookTimeout: 3_600_000,
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
      {
        ...common,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e-spec.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
      {
        ...common,
        test: {
          name: 'openstack-real',
          include: ['libs/*/test/**/*.real-spec.ts', 'test/real/**/*.real-spec.ts'],
          testTimeout: 600_000,
          hookTimeout: 900_000,
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
