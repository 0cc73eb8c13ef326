// Code blocks in answers: syntax highlighting that follows the VS Code theme, and the four actions (Copy, Insert at
// Cursor, Open in New File, Apply as Diff). highlight.js core with a hand-picked set of languages keeps the bundle
// small; blocks are highlighted only once finished and only when they stay in view, so neither streaming nor opening
// a long chat pays for code nobody is looking at.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import kotlin from 'highlight.js/lib/languages/kotlin';
import markdown from 'highlight.js/lib/languages/markdown';
import php from 'highlight.js/lib/languages/php';
import python from 'highlight.js/lib/languages/python';
import ruby from 'highlight.js/lib/languages/ruby';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import swift from 'highlight.js/lib/languages/swift';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import type { CodeAction } from '../shared/protocol';

const LANGUAGES = { bash, c, cpp, csharp, css, diff, go, java, javascript, json, kotlin, markdown, php, python, ruby, rust, sql, swift, typescript, xml, yaml };
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);

export type CodeActionHandler = (action: CodeAction, code: string, language: string) => void;

const ACTIONS: Array<[CodeAction, string, string]> = [
  ['copy', 'Copy', 'Copy to the clipboard'],
  ['insert', 'Insert', 'Insert at the cursor in the active editor'],
  ['new-file', 'New File', 'Open in a new untitled file'],
  ['apply-diff', 'Apply…', 'Review as a diff against the active file (or selection), then accept or discard'],
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
      highlight(entry.target as HTMLElement);
    }, SETTLE_MS);
  }
}, { rootMargin: '200px' });

function highlight(code: HTMLElement): void {
  const language = languageOf(code);
  if (!language || !hljs.getLanguage(language)) return;
  code.innerHTML = hljs.highlight(code.textContent ?? '', { language, ignoreIllegals: true }).value;
  code.classList.add('hljs');
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
      toolbar.append(button);
    }
    pre.before(toolbar);
    highlightWhenVisible.observe(code);
  }
}
