// Where a CPU profile's time went, by source: V8 .cpuprofile files (the extension host's inspector, Chromium's CDP)
// summed by self time per source file of Comet's bundles (mapped back through source maps of the same minified build)
// or per package, script or V8 category. Benches only.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from '../support/codeServer';

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }>;
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export type SourceMaps = Map<string, TraceMap>;

/**
 * Source maps for dist/extension.js, dist/chat.js (where an answer's host code runs) and dist/webview.js: the same
 * minified build again with its map kept aside. The minifier may name things differently when it also writes a map,
 * so that build replaces the one in dist/ (same options, same code but for local names), and the profile's positions
 * fit the map.
 */
export async function bundleSourceMaps(tmp: string): Promise<SourceMaps> {
  const maps: SourceMaps = new Map();
  const shared: esbuild.BuildOptions = { bundle: true, minify: true, sourcemap: 'external', sourcesContent: false, legalComments: 'none', logLevel: 'silent', write: false };
  const builds: Array<esbuild.BuildOptions & { outfile: string }> = [
    { ...shared, entryPoints: ['src/extension.ts'], outfile: path.join(tmp, 'extension.js'), platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
    { ...shared, entryPoints: ['src/chat.ts'], outfile: path.join(tmp, 'chat.js'), platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] },
    { ...shared, entryPoints: ['src/webview/main.ts'], outfile: path.join(tmp, 'webview.js'), platform: 'browser', format: 'iife', target: 'chrome120' },
  ];
  for (const options of builds) {
    const result = await esbuild.build({ ...options, absWorkingDir: REPO_ROOT });
    const js = result.outputFiles?.find(f => f.path.endsWith('.js'));
    const map = result.outputFiles?.find(f => f.path.endsWith('.js.map'));
    const name = path.basename(options.outfile);
    if (!js || !map) continue;
    const bundled = path.join(REPO_ROOT, 'dist', name);
    if (js.text !== fs.readFileSync(bundled, 'utf8')) fs.writeFileSync(bundled, js.text);
    maps.set(name, new TraceMap(map.text));
  }
  return maps;
}

function where(frame: CpuProfile['nodes'][number]['callFrame'], maps: SourceMaps): { source: string; fn: string } {
  const { url, functionName } = frame;
  if (!url) return { source: functionName.startsWith('(') ? functionName : '(V8/native)', fn: functionName || '(anonymous)' };
  const bundle = /dist\/(extension|chat|webview)\.js/.exec(url)?.[0];
  const map = bundle && maps.get(path.basename(bundle));
  if (map) {
    const original = originalPositionFor(map, { line: frame.lineNumber + 1, column: frame.columnNumber });
    if (original.source) {
      const source = original.source.replace(/^(\.\.\/)+/, '');
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)?.[1];
      return { source: pkg ? `${pkg} (bundled)` : source, fn: `${original.name ?? functionName} ${path.basename(source)}:${original.line}` };
    }
  }
  if (bundle) return { source: `${bundle} (unmapped)`, fn: functionName };
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  const source = pkg ? pkg : url.startsWith('node:') ? url.replace(/^node:(internal\/)?/, 'node:').split('/').slice(0, 2).join('/') : path.basename(url.split('?')[0]);
  return { source, fn: `${functionName || '(anonymous)'} ${path.basename(url.split('?')[0])}:${frame.lineNumber + 1}` };
}

export interface ProfileSummary {
  totalMs: number;
  bySource: Array<[string, number]>;
  byFunction: Array<[string, number]>;
}

export function summarizeProfile(file: string, maps: SourceMaps, top = 12): ProfileSummary {
  return summarizeProfiles([{ file }], maps, top);
}

/** Several profiles summed; each with a `window`, only its samples taken within it (in the profile's own µs). */
export function summarizeProfiles(parts: ReadonlyArray<{ file: string; fromUs?: number; toUs?: number }>, maps: SourceMaps, top = 12): ProfileSummary {
  const bySource = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let totalMs = 0;
  for (const { file, fromUs = -Infinity, toUs = Infinity } of parts) {
    const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
    const nodes = new Map(profile.nodes.map(node => [node.id, node]));
    const self = new Map<number, number>();
    let at = profile.startTime;
    profile.samples.forEach((id, i) => {
      at += profile.timeDeltas[i] ?? 0;
      if (at >= fromUs && at <= toUs) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    });
    for (const [id, ms] of self) {
      const node = nodes.get(id);
      if (!node) continue;
      const { source, fn } = where(node.callFrame, maps);
      bySource.set(source, (bySource.get(source) ?? 0) + ms);
      const key = `${fn} [${source}]`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    }
    totalMs += (Math.min(toUs, profile.endTime) - Math.max(fromUs, profile.startTime)) / 1000;
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
  return { totalMs, bySource: sorted(bySource), byFunction: sorted(byFunction) };
}
