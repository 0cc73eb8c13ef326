// Where VS Code keeps its ripgrep, for every layout it has shipped. Pure (no `vscode`, no file system unless given one),
// so the layouts are unit-tested for every platform on any machine.
//   VS Code up to about 1.13x: <appRoot>/node_modules/@vscode/ripgrep/bin/rg
//   VS Code 1.139:             <appRoot>/node_modules/@vscode/ripgrep-universal/bin/<platform>-<arch>/rg
// each also under node_modules.asar.unpacked (packaged builds that keep node_modules in an asar archive: native
// binaries are unpacked beside it), with rg.exe on Windows. An unpackaged dev build of VS Code may ship neither.
import * as path from 'node:path';

export interface RipgrepLookup {
  /** The first candidate that exists, or undefined. */
  path: string | undefined;
  /** Every candidate, in the order they were tried: for the log when none exists. */
  tried: readonly string[];
}

/** The places VS Code's ripgrep can be, most likely first. `platform` and `arch` are Node's names (`process.platform`, `process.arch`). */
export function ripgrepCandidates(appRoot: string, platform: string, arch: string): string[] {
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  const binary = platform === 'win32' ? 'rg.exe' : 'rg';
  const candidates: string[] = [];
  for (const modules of ['node_modules', 'node_modules.asar.unpacked']) {
    candidates.push(join(appRoot, modules, '@vscode', 'ripgrep-universal', 'bin', `${platform}-${arch}`, binary));
    candidates.push(join(appRoot, modules, '@vscode', 'ripgrep', 'bin', binary));
  }
  return candidates;
}

/** The first candidate for which `exists` is true. */
export function findRipgrep(appRoot: string, platform: string, arch: string, exists: (file: string) => boolean): RipgrepLookup {
  const tried = ripgrepCandidates(appRoot, platform, arch);
  return { path: tried.find(candidate => exists(candidate)), tried };
}

/** The one log line that says which search runs, and why when it is the fallback. */
export function describeSearchEngine(choice: {
  /** The ripgrep the search runs, if any. */
  ripgrep: string | undefined;
  /** comet.tools.useRipgrep. */
  useRipgrepSetting: boolean;
  /** Where VS Code's ripgrep was looked for. */
  lookup: RipgrepLookup | undefined;
  appRoot: string;
}): { level: 'info' | 'warn'; message: string } {
  const fallback = 'search: the fallback (workspace.findFiles + reads: slower, no .gitignore)';
  if (choice.ripgrep) return { level: 'info', message: `search: ripgrep at ${choice.ripgrep}` };
  if (!choice.useRipgrepSetting) return { level: 'info', message: `${fallback}, because comet.tools.useRipgrep is off` };
  if (choice.lookup?.path) return { level: 'info', message: `${fallback}, not the ripgrep at ${choice.lookup.path}` };
  const tried = choice.lookup?.tried.length ? ` (looked for ${choice.lookup.tried.join(', ')})` : '';
  return { level: 'warn', message: `${fallback}, because this VS Code ships no ripgrep under ${choice.appRoot}${tried}` };
}
