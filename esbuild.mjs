// Four bundles: for the extension host (Node, CommonJS, `vscode` external) a small entry that activation loads and
// the chat, which the entry loads on first use (src/host/lazyComet.ts); the webview (browser, IIFE) and its
// highlighter, which the webview loads on first use.
// `--production` minifies; `--watch` rebuilds on change. Type-checking is `tsc --noEmit`, run by `npm run build`.
import * as fs from 'node:fs';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'info',
  legalComments: 'none',
};

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  { ...common, entryPoints: ['src/chat.ts'], outfile: 'dist/chat.js', platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
  { ...common, entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife', target: 'chrome120' },
  // Loaded by the webview on first use (see src/webview/codeBlocks.ts).
  { ...common, entryPoints: ['src/webview/highlighter.ts'], outfile: 'dist/highlight.js', platform: 'browser', format: 'iife', target: 'chrome120' },
];

// VS Code's icon font and its stylesheet go into dist/codicons with the extension (never fetched at run time).
fs.mkdirSync('dist/codicons', { recursive: true });
for (const file of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(`node_modules/@vscode/codicons/dist/${file}`, `dist/codicons/${file}`);

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map(options => esbuild.build(options)));
}
