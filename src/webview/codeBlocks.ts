// Code blocks in answers: syntax highlighting that follows the VS Code theme, and the four actions (Copy, Insert at
// Cursor, Open in New File, Apply as Diff). Blocks are highlighted only once finished and only when they stay in
// view, so neither streaming nor opening a long chat pays for code nobody is looking at.
import * as l10n from '@vscode/l10n';
import type { CodeAction } from '../shared/protocol';
import { withIcon } from './icons';
import { SliceQueue } from './slices';

// The highlighter is a bundle of its own (dist/highlight.js, over half the webview's code), loaded the first time a
// finished code block comes into view, with this page's nonce: a chat without code never pays for it.
const scriptNonce = (document.currentScript as HTMLScriptElement | null)?.nonce ?? '';
let highlighter: Promise<CometHighlighter | undefined> | undefined;

function loadHighlighter(): Promise<CometHighlighter | undefined> {
  highlighter ??= new Promise(resolve => {
    const src = document.getElementById('comet-root')?.dataset.highlighter;
    if (!src) return resolve(undefined);
    const script = document.createElement('script');
    script.src = src;
    script.nonce = scriptNonce;
    script.onload = () => {
      const bundle = window.cometHighlighter;
      // Its languages register in slices, ahead of every block: the queue runs in order.
      if (bundle) highlighting.add(bundle.registrations);
      resolve(bundle?.highlight);
    };
    script.onerror = () => resolve(undefined);
    document.head.append(script);
  });
  return highlighter;
}

export type CodeActionHandler = (action: CodeAction, code: string, language: string) => void;

const ACTIONS: Array<[CodeAction, string, string]> = [
  ['copy', l10n.t('Copy'), l10n.t('Copy to the clipboard')],
  ['insert', l10n.t('Insert'), l10n.t('Insert at the cursor in the active editor')],
  ['new-file', l10n.t('New File'), l10n.t('Open in a new untitled file')],
  ['apply-diff', l10n.t('Apply…'), l10n.t('Review as a diff against the active file (or selection), then accept or discard')],
];

// A block is highlighted once it has stayed in view for a moment: a fast stream scrolls finished blocks past the
// reader, and colouring code nobody saw is work the panel does not need.
const SETTLE_MS = 200;
const inView = new WeakSet<Element>();
const highlightWhenVisible = new IntersectionObserver(entries => {
  for (const entry of entries) {
    if (!entry.isIntersecting) {
      inView.delete(entry.target);
      continue;
    }
    inView.add(entry.target);
    setTimeout(() => {
      if (!inView.has(entry.target)) return;
      highlightWhenVisible.unobserve(entry.target);
      void highlight(entry.target as HTMLElement);
    }, SETTLE_MS);
  }
}, { rootMargin: '200px' });

// The blocks in view when the highlighter arrives would all be coloured in the task that loaded it (with its first
// use of a language, which compiles that grammar): one block after another in slices instead.
const highlighting = new SliceQueue();
const compiled = new Set<string>();

async function highlight(code: HTMLElement): Promise<void> {
  const language = languageOf(code);
  if (!language) return;
  const highlighter = await loadHighlighter();
  if (!highlighter) return;
  // A language's first use compiles its grammar, as long as colouring a block: a step of its own, so the two can fall
  // in different slices.
  if (!compiled.has(language)) {
    compiled.add(language);
    highlighting.add([() => highlighter('', language)]);
  }
  highlighting.add([() => {
    // highlight.js escapes the text it is given; its output is spans with class names only.
    const html = highlighter(code.textContent ?? '', language);
    if (html === undefined) return;
    code.innerHTML = html;
    code.classList.add('hljs');
  }]);
}

export function languageOf(code: Element): string {
  return /(?:^|\s)language-([\w+#.-]+)/.exec(code.className)?.[1]?.toLowerCase() ?? '';
}

/** Adds the toolbar and (lazy) highlighting to every finished code block in `block`, once. */
export function decorateCodeBlocks(block: HTMLElement, onAction: CodeActionHandler): void {
  for (const pre of Array.from(block.querySelectorAll('pre'))) {
    const code = pre.querySelector('code');
    if (!code || pre.dataset.decorated) continue;
    pre.dataset.decorated = 'true';
    const text = code.textContent ?? '';
    const language = languageOf(code);
    const toolbar = document.createElement('div');
    toolbar.className = 'code-actions';
    if (language) toolbar.append(Object.assign(document.createElement('span'), { className: 'code-language', textContent: language }));
    for (const [action, label, title] of ACTIONS) {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'secondary';
      button.dataset.action = action;
      button.textContent = label;
      button.title = title;
      button.addEventListener('click', () => onAction(action, text.replace(/\n$/, ''), language));
      toolbar.append(withIcon(button));
    }
    toolbar.append(wrapToggle());
    // A block wider than the panel scrolls: keyboard users reach it with Tab and scroll it with the arrow keys.
    pre.tabIndex = 0;
    pre.setAttribute('role', 'region');
    pre.setAttribute('aria-label', language ? l10n.t('Code, {0}', language) : l10n.t('Code'));
    pre.before(toolbar);
    highlightWhenVisible.observe(code);
  }
}

// Wrapping is one choice for every block (a body class, so new blocks follow it); the host keeps it (main.ts).
const WRAP_CLASS = 'wrap-code';
let onWrapChange: (on: boolean) => void = () => undefined;

/** Tells `save` of each change the user makes. */
export function onWrapToggled(save: (on: boolean) => void): void {
  onWrapChange = save;
}

/** Shows the wrap choice on every block and toggle. */
export function showWrapChoice(on: boolean): void {
  document.body.classList.toggle(WRAP_CLASS, on);
  for (const toggle of Array.from(document.querySelectorAll('[data-action=wrap]'))) toggle.setAttribute('aria-pressed', String(on));
}

function wrapToggle(): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'secondary';
  button.dataset.action = 'wrap';
  button.textContent = l10n.t('Wrap');
  button.title = l10n.t('Wrap long lines in code blocks');
  button.setAttribute('aria-pressed', String(document.body.classList.contains(WRAP_CLASS)));
  button.addEventListener('click', () => {
    const on = !document.body.classList.contains(WRAP_CLASS);
    showWrapChoice(on);
    onWrapChange(on);
  });
  return withIcon(button);
}
