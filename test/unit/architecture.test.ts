// The layering, checked on the source: which folder may import what, and no cycles between folders. Read from the
// files' import statements, so a new file that breaks a rule fails here before review.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMAND } from '../../src/host/commandIds';

const SRC = path.resolve(__dirname, '../../../src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(item => {
    const full = path.join(dir, item.name);
    return item.isDirectory() ? sourceFiles(full) : item.name.endsWith('.ts') ? [full] : [];
  });
}

interface Import {
  file: string;
  /** The folder under src/ of the importing file, e.g. `core/tools`, or `.` for the root. */
  from: string;
  specifier: string;
  /** The folder under src/ a relative import lands in; undefined for packages. */
  to?: string;
  /** The file under src/ a relative import lands in, e.g. `host/commandIds.ts`. */
  target?: string;
  /** `import type`: erased, so it loads nothing at run time. */
  typeOnly: boolean;
}

const folderOf = (file: string) => path.relative(SRC, path.dirname(file)).split(path.sep).join('/') || '.';

const imports: Import[] = sourceFiles(SRC).flatMap(file => {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\s[^'";]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm)].map(match => {
    const specifier = match[1] ?? match[2];
    const resolved = specifier.startsWith('.') ? path.resolve(path.dirname(file), specifier) + '.ts' : undefined;
    const to = resolved ? folderOf(resolved) : undefined;
    const target = resolved ? path.relative(SRC, resolved).split(path.sep).join('/') : undefined;
    return { file: path.relative(SRC, file).split(path.sep).join('/'), from: folderOf(file), specifier, to, target, typeOnly: /^\s*(?:import|export)\s+type\s/.test(match[0]) };
  });
});

const layer = (folder: string) => folder.split('/')[0];
const violations = (rule: (i: Import) => boolean) => imports.filter(rule).map(i => `${i.file} imports ${i.specifier}`);

describe('the layering of src/', () => {
  it('reads imports from every folder (this test sees the code)', () => {
    for (const folder of ['.', 'core', 'core/tools', 'host', 'llm', 'node', 'shared', 'webview']) assert.ok(imports.some(i => i.from === folder), folder);
  });

  it('imports vscode only in host/ and the composition root', () => {
    assert.deepEqual(violations(i => i.specifier === 'vscode' && !['host', '.'].includes(layer(i.from))), []);
  });

  it('keeps llm/ to the wire: packages and the shared domain types only', () => {
    assert.deepEqual(violations(i => layer(i.from) === 'llm' && i.to !== undefined && layer(i.to) !== 'llm' && !i.specifier.endsWith('shared/domain')), []);
  });

  it('keeps core/ free of the adapters, the disk and the browser', () => {
    assert.deepEqual(violations(i => layer(i.from) === 'core' && i.to !== undefined && ['host', 'node', 'webview', '.'].includes(layer(i.to))), []);
  });

  it('keeps the tools off the wire', () => {
    assert.deepEqual(violations(i => i.from === 'core/tools' && (i.specifier.startsWith('openai') || (i.to !== undefined && layer(i.to) === 'llm'))), []);
  });

  it('lets the webview import only shared/, shared/ nothing of the others, and only host and webview use the protocol', () => {
    assert.deepEqual(violations(i => layer(i.from) === 'webview' && i.to !== undefined && !['webview', 'shared'].includes(layer(i.to))), []);
    assert.deepEqual(violations(i => layer(i.from) === 'shared' && i.to !== undefined && layer(i.to) !== 'shared'), []);
    assert.deepEqual(violations(i => i.to === 'shared' && i.specifier.endsWith('protocol') && !['host', 'webview', 'shared'].includes(layer(i.from))), []);
  });

  it('has no import cycle between folders', () => {
    const edges = new Map<string, Set<string>>();
    for (const i of imports) if (i.to && i.to !== i.from) (edges.get(i.from) ?? edges.set(i.from, new Set()).get(i.from)!).add(i.to);
    const cycles: string[] = [];
    const visit = (folder: string, trail: string[]) => {
      if (trail.includes(folder)) return void cycles.push([...trail.slice(trail.indexOf(folder)), folder].join(' -> '));
      for (const next of edges.get(folder) ?? []) visit(next, [...trail, folder]);
    };
    for (const folder of edges.keys()) visit(folder, []);
    assert.deepEqual(cycles, []);
  });
});

describe('the entry bundle (what activation loads)', () => {
  // Everything src/extension.ts reaches by a run-time import goes into dist/extension.js; the rest waits in
  // dist/chat.js, which only host/lazyComet.ts loads, on first use.
  const ENTRY_FILES = ['extension.ts', 'host/lazyComet.ts', 'host/nativeChat.ts', 'host/vscodeNewer.ts', 'host/commandIds.ts', 'host/commandRegistry.ts', 'host/fixWithCometAction.ts', 'host/rememberedModelList.ts', 'core/native/rememberedModels.ts'];
  const reached = new Set<string>();
  const visit = (file: string) => {
    if (reached.has(file)) return;
    reached.add(file);
    for (const i of imports) if (i.file === file && !i.typeOnly && i.target) visit(i.target);
  };
  visit('extension.ts');

  it('reaches only the thin registration files, whatever they import', () => {
    assert.deepEqual([...reached].sort(), [...ENTRY_FILES].sort());
  });

  it('imports no package but vscode and node built-ins', () => {
    const packages = imports.filter(i => reached.has(i.file) && !i.typeOnly && !i.specifier.startsWith('.') && i.specifier !== 'vscode' && !i.specifier.startsWith('node:'));
    assert.deepEqual(packages.map(i => `${i.file} imports ${i.specifier}`), []);
  });

  it('loads the chat bundle in one place, by its file beside the entry', () => {
    const loaders = sourceFiles(SRC).filter(file => /require\(path\.join\(__dirname/.test(fs.readFileSync(file, 'utf8'))).map(file => path.relative(SRC, file).split(path.sep).join('/'));
    assert.deepEqual(loaders, ['host/lazyComet.ts']);
    const build = fs.readFileSync(path.resolve(SRC, '../esbuild.mjs'), 'utf8');
    assert.match(build, /entryPoints: \['src\/chat\.ts'\], outfile: 'dist\/chat\.js'/);
  });
});

describe('commands', () => {
  it('declares in package.json exactly the commands the code registers', () => {
    const manifest = JSON.parse(fs.readFileSync(path.resolve(SRC, '../package.json'), 'utf8'));
    const declared = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(declared, Object.values(COMMAND).sort());
  });

  it('never builds a command id from pieces', () => {
    assert.deepEqual(
      sourceFiles(SRC).filter(file => /executeCommand\(\s*`/.test(fs.readFileSync(file, 'utf8'))).map(file => path.relative(SRC, file)),
      [],
    );
  });
});
