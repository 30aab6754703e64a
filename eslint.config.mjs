// Lint rules that hold the house together (../shared/STYLE.md, rules 2-4 and 25).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const LEAVES = ['tosca', 'openstack', 'runner', 'config', 'api-client'];

// Rule 2: one public door per lib. Nobody reaches into another lib's src/ folder.
const noDeepImports = {
  // Test support (libs/*/test/support) is shared by relative path on purpose: it is not code of the lib.
  group: ['@lib/*/*', '**/libs/*/src/**'],
  message: 'Import a lib through its public door: @lib/<name> (STYLE.md rule 2).',
};

function restrict(extraPatterns = [], extraPaths = []) {
  return ['error', { patterns: [noDeepImports, ...extraPatterns], paths: extraPaths }];
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bin/**', 'eslint.config.mjs', 'apps/dashboard/assets/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': restrict(),
      'no-restricted-syntax': [
        'error',
        { selector: "Identifier[name='forwardRef']", message: 'forwardRef is banned: dependencies point one way (rule 3).' },
      ],
    },
  },
  // Rules 3 and 4: leaf libs import no other internal lib and know nothing of NestJS.
  ...LEAVES.map((leaf) => ({
    files: [`libs/${leaf}/**/*.ts`],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['@nestjs/*'], message: `libs/${leaf} is a leaf lib: no NestJS (STYLE.md rule 4).` },
        {
          group: ['@lib/*', `!@lib/${leaf}`],
          message: `libs/${leaf} is a leaf lib: it imports no other internal lib (STYLE.md rule 3).`,
        },
      ]),
    },
  })),
  // Rule 3: the orchestrator builds on the leaves only.
  {
    files: ['libs/orchestrator/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        {
          group: ['@lib/auth', '@lib/persistence'],
          message: 'libs/orchestrator depends on the leaf libs only; persistence reaches it through a port (rule 3).',
        },
      ]),
    },
  },
  // Only libs/config reads the environment (rule 19).
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    ignores: ['libs/config/**', '**/*.spec.ts', '**/test/**'],
    rules: {
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through @lib/config (rule 19).' }],
    },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/*.real-spec.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
