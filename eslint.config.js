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
  { files: ['src/cli.ts', 'src/cli/**', 'bench/**', 'scripts/**', 'test/odoo-simulator/cli.ts'], rules: { 'no-console': 'off' } },
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
