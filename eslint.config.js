import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import regexp from 'eslint-plugin-regexp'

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.data/', 'coverage/', '.tap/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error'
    }
  },
  { files: ['src/cli.ts', 'src/cli/**', 'bench/**', 'scripts/**', 'test/odoo-simulator/cli.ts', 'sim/cli.ts'], rules: { 'no-console': 'off' } },
  // Domain code does not depend on HTTP (issue #14): it throws the errors of src/errors/catalogue.ts,
  // and only the HTTP edge (src/http, each capability's http/ folder) and the composition roots
  // that build it (src/service.ts, the `openapi` command) import from an http/ folder.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/http/**', 'src/*/http/**', 'src/service.ts', 'src/cli/openapi-command.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^\\.{1,2}/(?:.*/)?http/', message: 'Only the HTTP edge imports from an http/ folder: throw domainError(...) from src/errors/catalogue.ts instead.' }] }
      ]
    }
  },
  // The service reads text from anyone who can send mail: a regular expression that backtracks
  // super-linearly on it stalls the event loop (issue #12: 33 s for one 80 kB message).
  {
    files: ['src/**'],
    ...regexp.configs['flat/recommended'],
    rules: {
      ...regexp.configs['flat/recommended'].rules,
      'regexp/no-super-linear-backtracking': 'error',
      'regexp/no-super-linear-move': ['error', { report: 'potential' }]
    }
  }
)
