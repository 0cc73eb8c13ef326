// The chat webview's HTML: a strict CSP (no inline code, scripts only with a fresh random nonce) and resources only
// from dist/ and media/.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** Text for HTML (a translation may hold any character). */
function h(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}

/** The page, its text in VS Code's display language; the webview's own strings use the same bundle (data-l10n). */
export function chatHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(18).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'chat.css'));
  const codicons = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'codicons', 'codicon.css'));
  const highlighter = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'highlight.js'));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${codicons}">
<link rel="stylesheet" href="${style}">
<title>Comet</title>
</head>
<body>
<div id="comet-root" data-highlighter="${highlighter}" data-l10n="${h(JSON.stringify(vscode.l10n.bundle ?? {}))}">
  <header id="toolbar">
    <select id="conversation-select" aria-label="${h(vscode.l10n.t('Conversation'))}" title="${h(vscode.l10n.t('Switch conversation'))}"></select>
  </header>
  <div id="key-banner" class="banner" hidden>
    <span>${h(vscode.l10n.t('No API key is set.'))}</span>
    <button type="button" data-action="set-api-key">${h(vscode.l10n.t('Set API Key'))}</button>
  </div>
  <div id="messages" role="list" aria-label="${h(vscode.l10n.t('Conversation'))}"></div>
  <div id="announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"></div>
  <section id="empty-state" aria-label="${h(vscode.l10n.t('Getting started'))}">
    <h2>${h(vscode.l10n.t('Ask Comet about your code'))}</h2>
    <p>${h(vscode.l10n.t('Comet answers questions, explains a selection (right-click it, then Explain Selection) and can read and search this workspace to answer.'))}</p>
    <p class="empty-key">${h(vscode.l10n.t('No API key is set for this endpoint.'))}</p>
    <div class="empty-actions">
      <button type="button" class="empty-key" data-action="set-api-key">${h(vscode.l10n.t('Set API Key'))}</button>
      <button type="button" class="secondary" data-action="choose-endpoint" title="${h(vscode.l10n.t('CometAPI, OpenAI, OpenRouter, Ollama, LM Studio, llama.cpp or any URL'))}">${h(vscode.l10n.t('Choose Endpoint…'))}</button>
    </div>
    <p>${h(vscode.l10n.t('Try asking:'))}</p>
    <ul class="examples">
      <li><button type="button" class="link-button" data-example>${h(vscode.l10n.t('What does this project do, and where does it start?'))}</button></li>
      <li><button type="button" class="link-button" data-example>${h(vscode.l10n.t('Find where errors are handled and suggest improvements.'))}</button></li>
      <li><button type="button" class="link-button" data-example>${h(vscode.l10n.t('Write unit tests for the function I have selected.'))}</button></li>
    </ul>
  </section>
  <form id="composer">
    <div id="edit-banner" class="banner" hidden><span>${h(vscode.l10n.t('Editing your last question: sending replaces it and its answer.'))}</span><button type="button" class="secondary" data-action="cancel-edit">${h(vscode.l10n.t('Cancel'))}</button></div>
    <div id="attachments" class="attachments" hidden></div>
    <div id="context-chips" class="attachments" hidden></div>
    <div id="composer-notice" class="note warning" role="status" hidden></div>
    <div class="composer-box">
    <textarea id="prompt" rows="1" placeholder="${h(vscode.l10n.t('Ask Comet… (Enter to send, Shift+Enter for a new line)'))}" aria-label="${h(vscode.l10n.t('Message'))}"></textarea>
    <div class="composer-actions">
      <button type="button" id="attach-image" class="secondary icon-button" data-action="attach-image" aria-label="${h(vscode.l10n.t('Attach Image'))}" title="${h(vscode.l10n.t('Attach an image from the workspace (or paste / drop one)'))}"><span class="codicon codicon-attach" aria-hidden="true"></span></button>
      <button type="button" id="attach-context" class="secondary icon-button" data-action="attach-context" aria-label="${h(vscode.l10n.t('Attach Context'))}" title="${h(vscode.l10n.t('Attach files, problems or uncommitted changes (or type # in the message)'))}"><span class="codicon codicon-mention" aria-hidden="true"></span></button>
      <button type="button" id="new-chat" class="secondary icon-button" aria-label="${h(vscode.l10n.t('New Chat'))}" title="${h(vscode.l10n.t('New Chat'))}"><span class="codicon codicon-add" aria-hidden="true"></span></button>
      <button type="button" id="model-button" class="secondary model-button" data-action="select-model" title="${h(vscode.l10n.t('Choose the model (Comet: Select Model)'))}"></button>
      <span class="composer-spacer"></span>
      <button type="button" id="stop" class="icon-button" hidden aria-label="${h(vscode.l10n.t('Stop'))}" title="${h(vscode.l10n.t('Stop (Esc)'))}"><span class="codicon codicon-debug-stop" aria-hidden="true"></span></button>
      <button type="submit" id="send" class="icon-button" aria-label="${h(vscode.l10n.t('Send'))}" title="${h(vscode.l10n.t('Send (Enter)'))}"><span class="codicon codicon-send" aria-hidden="true"></span></button>
    </div>
    </div>
  </form>
</div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
