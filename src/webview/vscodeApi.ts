// The webview's only way out: typed, so it can send nothing the host does not understand.
import type { WebviewToHost } from '../shared/protocol';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  /** What the page handed VS Code last: it outlives the page (a hidden view's page is built anew when shown). */
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

// acquireVsCodeApi may be called once per page; keep it in this module, not on window.
const api = acquireVsCodeApi();

export function send(message: WebviewToHost): void {
  api.postMessage(message);
}

/** The page's own state, as it left it; unchecked (see composerDraft.ts). */
export function savedState(): unknown {
  return api.getState();
}

export function saveState(state: unknown): void {
  api.setState(state);
}
