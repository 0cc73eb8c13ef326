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

export interface SearchOptions {
  query: string;
  isRegex: boolean;
  /** A glob relative to the folder, e.g. `src/**\/*.ts`. */
  include?: string;
  maxResults: number;
  contextLines: number;
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
  /** Searches one folder, honouring .gitignore and the user's exclude settings. */
  search(folder: WorkspaceFolderInfo, options: SearchOptions, signal: AbortSignal): Promise<SearchOutcome>;
  /** Workspace-relative paths of files matching the glob in one folder, honouring excludes, at most `max` + 1. */
  listFiles(folder: WorkspaceFolderInfo, glob: string, max: number, signal: AbortSignal): Promise<string[]>;
}
