// A search model's numbered sources, as a list after its answer: the answer's [1], [2] ... become links to follow
// (the webview's Markdown pipeline sanitizes them like any link). The list is part of the answer, so it is kept and
// goes back as history with it.
import * as l10n from '@vscode/l10n';
import type { Source } from '../llm/completionAccumulator';

// Markdown punctuation a title could use to become something else (a link, emphasis, HTML).
const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()#+\-.!<>|~]/g;

function escapeMarkdown(text: string): string {
  return text.replace(/\s+/g, ' ').trim().replace(MARKDOWN_PUNCTUATION, '\\$&');
}

/** The list to add after `answer`, or '' when the answer has no sources. */
export function sourcesMarkdown(sources: readonly Source[], answer: string): string {
  if (!sources.length) return '';
  const items = sources.map((source, i) => {
    const title = escapeMarkdown(source.title);
    // The URL parser escapes spaces and angle brackets; in angle brackets the address may hold parentheses, and only
    // a backslash (kept in a query or fragment) needs escaping.
    const shown = source.url ? `[${title || escapeMarkdown(new URL(source.url).hostname)}](<${source.url.replace(/\\/g, '\\\\')}>)` : title || '—';
    return `${i + 1}. ${shown}`;
  });
  // A blank line first, so the list is not read as part of the answer's last paragraph.
  const gap = !answer || answer.endsWith('\n\n') ? '' : answer.endsWith('\n') ? '\n' : '\n\n';
  return `${gap}**${l10n.t('Sources')}**\n\n${items.join('\n')}\n`;
}
