// The chat panel's view choices that outlive its page: the page is rebuilt each time the panel is shown and on a
// window reload, and VS Code's webview state does not come back after a reload on every version, so the host keeps
// them (per workspace) and sends them to each page that says `ready`.
import type * as vscode from 'vscode';

const WRAP_CODE = 'comet.view.wrapCode';

export class ViewPreferences {
  constructor(private readonly state: vscode.Memento) {}

  /** Whether code blocks wrap long lines instead of scrolling. */
  wrapCode(): boolean {
    return this.state.get<boolean>(WRAP_CODE, false) === true;
  }

  setWrapCode(on: boolean): Thenable<void> {
    return this.state.update(WRAP_CODE, on);
  }
}
