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
<div id="comet-root" data-highlighter="${highlighter}">
  <header id="toolbar">
    <select id="conversation-select" aria-label="Conversation" title="Switch conversation"></select>
  </header>
  <div id="key-banner" class="banner" hidden>
    <span>No API key is set.</span>
    <button type="button" data-action="set-api-key">Set API Key</button>
  </div>
  <div id="messages" role="region" aria-label="Conversation"></div>
  <div id="announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"></div>
  <section id="empty-state" aria-label="Getting started">
    <h2>Ask Comet about your code</h2>
    <p>Comet answers questions, explains a selection (right-click it, then Explain Selection) and can read and search this workspace to answer.</p>
    <p class="empty-key">No API key is set for this endpoint.</p>
    <div class="empty-actions">
      <button type="button" class="empty-key" data-action="set-api-key">Set API Key</button>
      <button type="button" class="secondary" data-action="choose-endpoint" title="CometAPI, OpenAI, OpenRouter, Ollama, LM Studio, llama.cpp or any URL">Choose Endpoint…</button>
    </div>
    <p>Try asking:</p>
    <ul class="examples">
      <li><button type="button" class="link-button" data-example>What does this project do, and where does it start?</button></li>
      <li><button type="button" class="link-button" data-example>Find where errors are handled and suggest improvements.</button></li>
      <li><button type="button" class="link-button" data-example>Write unit tests for the function I have selected.</button></li>
    </ul>
  </section>
  <form id="composer">
    <div id="edit-banner" class="banner" hidden><span>Editing your last question: sending replaces it and its answer.</span><button type="button" class="secondary" data-action="cancel-edit">Cancel</button></div>
    <div id="attachments" class="attachments" hidden></div>
    <div id="context-chips" class="attachments" hidden></div>
    <div id="composer-notice" class="note warning" role="status" hidden></div>
    <div class="composer-box">
    <textarea id="prompt" rows="1" placeholder="Ask Comet… (Enter to send, Shift+Enter for a new line)" aria-label="Message"></textarea>
    <div class="composer-actions">
      <button type="button" id="attach-image" class="secondary icon-button" data-action="attach-image" aria-label="Attach Image" title="Attach an image from the workspace (or paste / drop one)"><span class="codicon codicon-attach" aria-hidden="true"></span></button>
      <button type="button" id="attach-context" class="secondary icon-button" data-action="attach-context" aria-label="Attach Context" title="Attach files, problems or uncommitted changes (or type # in the message)"><span class="codicon codicon-mention" aria-hidden="true"></span></button>
      <button type="button" id="new-chat" class="secondary icon-button" aria-label="New Chat" title="New Chat"><span class="codicon codicon-add" aria-hidden="true"></span></button>
      <button type="button" id="model-button" class="secondary model-button" data-action="select-model" title="Choose the model (Comet: Select Model)"></button>
      <span class="composer-spacer"></span>
      <button type="button" id="stop" class="icon-button" hidden aria-label="Stop" title="Stop (Esc)"><span class="codicon codicon-debug-stop" aria-hidden="true"></span></button>
      <button type="submit" id="send" class="icon-button" aria-label="Send" title="Send (Enter)"><span class="codicon codicon-send" aria-hidden="true"></span></button>
    </div>
    </div>
  </form>
</div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
