// Lint: typescript-eslint recommended, plus the determinism rule of STYLE.md —
// no wall clock, host timers or unseeded randomness inside the engine and the models.
import tseslint from 'typescript-eslint';

const nondeterminism = [
  { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'Math.random is unseeded: use ctx.rng (a seeded stream).' },
  { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'Date.now is wall clock: use ctx.nowMs.' },
  { selector: "NewExpression[callee.name='Date']", message: 'new Date() is wall clock: use ctx.nowMs.' },
  { selector: "MemberExpression[object.name='performance'][property.name='now']", message: 'performance.now is wall clock.' },
  { selector: "CallExpression[callee.name=/^(setTimeout|setInterval|setImmediate)$/]", message: 'Host timers are not simulated time: use ctx.schedule.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'reports/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/sim/**/*.ts', 'src/models/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...nondeterminism] },
  },
);
