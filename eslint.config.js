// Lint: typescript-eslint recommended, plus the determinism rule of STYLE.md —
// no wall clock, host timers or unseeded randomness inside the engine and the models — arrays
// of one hidden class in every compiler tier in the models (mapObjects, not Array.map),
// exhaustive switches over closed unions (typed linting, src only), and the layers of
// docs/architecture.md: sim imports nothing of the project; spec only sim; models only sim and
// spec; nothing below cli imports cli.
import tseslint from 'typescript-eslint';

const nondeterminism = [
  {
    selector: "MemberExpression[object.name='Math'][property.name='random']",
    message: 'Math.random is unseeded: use ctx.rng (a seeded stream).',
  },
  {
    selector: "MemberExpression[object.name='Date'][property.name='now']",
    message: 'Date.now is wall clock: use ctx.nowMs.',
  },
  {
    selector: "NewExpression[callee.name='Date']",
    message: 'new Date() is wall clock: use ctx.nowMs.',
  },
  {
    selector: "MemberExpression[object.name='performance'][property.name='now']",
    message: 'performance.now is wall clock.',
  },
  {
    selector: 'CallExpression[callee.name=/^(setTimeout|setInterval|setImmediate)$/]',
    message: 'Host timers are not simulated time: use ctx.schedule.',
  },
];

// A model's arrays keep one hidden class in every compiler tier (src/sim/arrays.ts).
const tierStable = [
  {
    selector: "CallExpression[callee.property.name='map']",
    message:
      "Array.prototype.map's result turns holey once TurboFan compiles its caller (a new hidden " +
      'class: code compiled for the old one is thrown away): use mapObjects (src/sim/arrays.ts), ' +
      'or a typed array for numbers.',
  },
];

/** An import of one of these layers (relative paths, from anywhere under src/). */
const layer = (name) => ({
  group: [`**/${name}/*`, `../${name}/**`, `../../${name}/**`],
  message: `this layer may not import src/${name} (docs/architecture.md)`,
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'reports/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false },
      ],
    },
  },
  {
    files: ['src/sim/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...nondeterminism] },
  },
  {
    files: ['src/models/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', ...nondeterminism, ...tierStable] },
  },
  {
    files: ['src/sim/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['models', 'spec', 'scenario', 'report', 'cli'].map(layer) },
      ],
    },
  },
  {
    files: ['src/spec/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['models', 'scenario', 'report', 'cli'].map(layer) },
      ],
    },
  },
  {
    files: ['src/models/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['scenario', 'report', 'cli'].map(layer) }],
    },
  },
  {
    files: ['src/scenario/**/*.ts', 'src/report/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['cli'].map(layer) }] },
  },
);
