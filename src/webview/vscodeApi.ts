// The webview's only way out: typed, so it can send nothing the host does not understand.
import type { WebviewToHost } from '../shared/protocol';

/** What the panel keeps across being hidden and shown and a window reload (VS Code's webview state). */
export interface PanelState {
  wrapCode?: boolean;
}

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: PanelState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

// acquireVsCodeApi may be called once per page; keep it in this module, not on window.
const api = acquireVsCodeApi();

export function send(message: WebviewToHost): void {
  api.postMessage(message);
}

/** The state kept for this panel, checked: whatever VS Code hands back is only trusted field by field. */
export function panelState(): PanelState {
  const state = api.getState();
  const wrapCode = typeof state === 'object' && state !== null ? (state as Record<string, unknown>).wrapCode : undefined;
  return typeof wrapCode === 'boolean' ? { wrapCode } : {};
}

export function savePanelState(change: PanelState): void {
  api.setState({ ...panelState(), ...change });
}
