// The webview's only way out: typed, so it can send nothing the host does not understand.
import type { WebviewToHost } from '../shared/protocol';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

// acquireVsCodeApi may be called once per page; keep it in this module, not on window.
const api = acquireVsCodeApi();

export function send(message: WebviewToHost): void {
  api.postMessage(message);
}
