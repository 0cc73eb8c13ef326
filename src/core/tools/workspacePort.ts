// All a tool may know of the editor. The VS Code adapter (src/host/workspacePort.ts) implements it over the real
// workspace; unit tests implement it over a temporary folder. Paths here are absolute file-system paths.

export interface WorkspaceFolderInfo {
  name: string;
  path: string;
}

export interface FileStat {
  type: 'file' | 'directory' | 'other';
  size: number;
}

/**
 * The files a tool must act as if they did not exist (the secret list, comet.tools.extraDeniedFiles, .cometignore;
 * see hiddenFiles.ts), given to the engine so it leaves them out before it counts anything towards a cap: a secret
 * file with many matches must not take the places of real ones. The tools check every path again afterwards.
 */
export interface HiddenFiles {
  /** The exact test, on folder-relative paths with forward slashes. The engines apply it to every path they find. */
  test: (relative: string) => boolean;
  /** Folder names hidden at any depth (`.aws`): an engine may skip them without walking in. */
  folderNames: readonly string[];
  /** The user's own patterns (picomatch globs, case-insensitive): an engine may skip what they match. */
  extraPatterns: readonly string[];
  /** The folder's .cometignore (gitignore syntax), if it has one: an engine may skip what it ignores. */
  ignoreFile?: string;
}

export interface SearchOptions {
  query: string;
  isRegex: boolean;
  /** A glob relative to the folder, e.g. `src/**\/*.ts`. */
  include?: string;
  maxResults: number;
  contextLines: number;
  hidden: HiddenFiles;
}

export interface SearchMatch {
  /** Absolute path. */
  path: string;
  /** 1-based. */
  line: number;
  text: string;
  before: string[];
  after: string[];
}

export interface SearchOutcome {
  matches: SearchMatch[];
  /** More matches existed than `maxResults`. */
  capped: boolean;
  /** Which engine answered, for logs and benchmarks. */
  engine: 'ripgrep' | 'fallback';
}

export interface WorkspacePort {
  folders(): readonly WorkspaceFolderInfo[];
  stat(path: string): Promise<FileStat | undefined>;
  /** The path with every symlink resolved, to tell whether a link leads outside the workspace. */
  realPath(path: string): Promise<string>;
  readFile(path: string, signal: AbortSignal): Promise<Uint8Array>;
  /** The text of an open editor with unsaved changes, which is what the user sees; undefined otherwise. */
  unsavedText(path: string): string | undefined;
  // search and listFiles reach no file through a symlink (ripgrep follows none; the fallback drops every file whose
  // real path is not its path): a link could lead out of the folder, or to a secret under an innocent name.
  /** Searches one folder, honouring .gitignore, the user's exclude settings and `options.hidden`. */
  search(folder: WorkspaceFolderInfo, options: SearchOptions, signal: AbortSignal): Promise<SearchOutcome>;
  /** Workspace-relative paths of files matching the glob in one folder, honouring excludes, none hidden, at most `max` + 1. */
  listFiles(folder: WorkspaceFolderInfo, glob: string, max: number, hidden: HiddenFiles, signal: AbortSignal): Promise<string[]>;
}
