// A link clicked in an answer. The webview only asks; the host opens http(s) and mailto links with
// vscode.env.openExternal, whose own confirmation shows the whole URL (an answer may be steered to leak data in one).
import * as vscode from 'vscode';

const OPENABLE = new Set(['http:', 'https:', 'mailto:']);

export async function openLink(url: string, log: vscode.LogOutputChannel): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    log.warn('chat view: ignored a link that is not a URL');
    return;
  }
  if (!OPENABLE.has(parsed.protocol)) {
    log.warn(`chat view: ignored a ${parsed.protocol} link; only http, https and mailto open`);
    return;
  }
  await vscode.env.openExternal(vscode.Uri.parse(parsed.href, true));
}
