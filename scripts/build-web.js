// Bundles src/web/whatif.ts — the simulator, the scenario checks and the report's drawing code,
// the same modules the command line runs — into dist/web/whatif.js, the script report.html
// carries for its what-if (SPEC §5.5). Part of `npm run build` (and of the tests' build).
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';

const OUT = 'dist/web/whatif.js';

// zod's error-message locales: the checks use none (ccsim writes its own messages; zod's
// default is English), so every locale but English is left out (about 270 KB).
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onLoad({ filter: /zod[\\/]v4[\\/]locales[\\/][a-zA-Z-]+\.js$/ }, (a) =>
      /[\\/](en|index)\.js$/.test(a.path)
        ? undefined
        : {
            contents: 'export default function () { throw new Error("zod locale not bundled"); }',
            loader: 'js',
          },
    );
  },
};

const result = await build({
  entryPoints: ['src/web/whatif.ts'],
  bundle: true,
  minify: true,
  format: 'iife',
  platform: 'browser',
  target: ['es2022'],
  outfile: OUT,
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [zodEnglishOnly],
  // The CSV library's own browser build (the Node one uses Buffer).
  alias: {
    'csv-stringify/sync': 'csv-stringify/browser/esm/sync',
  },
});

// The licences of what the bundle contains, in one comment at its top.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m && !packages.has(m[1])) {
    const pkg = JSON.parse(readFileSync(`node_modules/${m[1]}/package.json`, 'utf8'));
    packages.set(m[1], `${m[1]} ${pkg.version} (${pkg.license})`);
  }
}
const own = JSON.parse(readFileSync('package.json', 'utf8'));
const names = [...packages.values()].sort();
const code = `/*! ccsim ${own.version} (${own.license}) what-if simulator; contains ${names.join(', ')} */\n${readFileSync(OUT, 'utf8')}`;

// The bundle goes inline into a <script> element: nothing in it may end or confuse the element.
const bad = /<\/script|<!--|<script/i.exec(code);
if (bad) {
  process.stderr.write(
    `build-web: ${OUT} contains "${bad[0]}" at ${bad.index}: it cannot be inlined in report.html\n`,
  );
  process.exit(1);
}
writeFileSync(OUT, code);
