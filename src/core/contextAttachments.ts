// Layer core/: no vscode, no disk, no processes.
// What an attachment to a question becomes for the model: a file, the problems (diagnostics) or the uncommitted
// changes, each as a block in the style of the selection context (where it comes from, then the content in a fence
// its own backticks cannot close), cut at a line boundary when it is too big, with the cut said to both sides.
import { fenceFor } from './selectionContext';

export type AttachmentKind = 'file' | 'problems' | 'changes';

/** The chip in the composer and the block the model reads. */
export interface FormattedAttachment {
  kind: AttachmentKind;
  label: string;
  truncated: boolean;
  prompt: string;
}

export const MAX_ATTACHMENT_CHARS: Record<AttachmentKind, number> = { file: 24_000, problems: 12_000, changes: 24_000 };

export function formatFileAttachment(file: { path: string; languageId: string; text: string }, maxChars = MAX_ATTACHMENT_CHARS.file): FormattedAttachment {
  const { text, truncated, lines } = cutAtLine(file.text, maxChars);
  const total = countLines(file.text);
  const note = truncated ? `\n[The file was truncated: only lines 1-${lines} of ${total} are included.]` : '';
  const fence = fenceFor(text);
  return {
    kind: 'file',
    label: file.path,
    truncated,
    prompt: `Attached file ${file.path} (${file.languageId}):\n${fence}${file.languageId}\n${text}\n${fence}${note}`,
  };
}

export interface ProblemInfo {
  path: string;
  /** 1-based. */
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  source?: string;
  code?: string;
}

/** `scope` names where the problems come from, e.g. a file's path or "the workspace". */
export function formatProblems(problems: readonly ProblemInfo[], scope: string, maxChars = MAX_ATTACHMENT_CHARS.problems): FormattedAttachment {
  const listed = problems.map(p => {
    const by = [p.source, p.code].filter(Boolean).join(' ');
    return `${p.path}:${p.line}:${p.column} ${p.severity}${by ? ` [${by}]` : ''}: ${p.message.replace(/\s*\n\s*/g, ' ')}`;
  });
  const body = listed.length ? listed.join('\n') : 'No problems are reported.';
  const { text, truncated, lines } = cutAtLine(body, maxChars);
  const note = truncated ? `\n[The list was truncated: ${lines} of ${listed.length} problems are included.]` : '';
  const fence = fenceFor(text);
  return {
    kind: 'problems',
    label: `Problems: ${scope} (${problems.length})`,
    truncated,
    prompt: `The problems VS Code reports in ${scope} (path:line:column severity [source code]: message):\n${fence}\n${text}\n${fence}${note}`,
  };
}

export interface Changes {
  /** The repository's folder name, for the chip. */
  repository: string;
  staged: string;
  unstaged: string;
}

/** `isDenied` is the tools' deny list: a denied file's part of the diff is left out, and the model is told which. */
export function formatChanges(changes: Changes, isDenied: (path: string) => boolean, maxChars = MAX_ATTACHMENT_CHARS.changes): FormattedAttachment {
  const staged = withoutDenied(changes.staged, isDenied);
  const unstaged = withoutDenied(changes.unstaged, isDenied);
  const parts = [staged.text && `# Staged\n${staged.text}`, unstaged.text && `# Not staged\n${unstaged.text}`].filter(Boolean);
  const body = parts.length ? parts.join('\n') : 'There are no uncommitted changes.';
  const { text, truncated } = cutAtLine(body, maxChars);
  const omitted = [...new Set([...staged.omitted, ...unstaged.omitted])];
  const notes = [
    truncated ? `[The diff was truncated at ${maxChars} characters.]` : '',
    omitted.length ? `[Left out, as they may hold secrets: ${omitted.join(', ')}.]` : '',
  ].filter(Boolean);
  const fence = fenceFor(text);
  return {
    kind: 'changes',
    label: `Changes: ${changes.repository}`,
    truncated,
    prompt: `The uncommitted changes in ${changes.repository} (git diff against HEAD):\n${fence}diff\n${text}\n${fence}${notes.map(n => `\n${n}`).join('')}`,
  };
}

/** Splits a unified diff into its files and drops the files on the deny list. */
export function withoutDenied(diff: string, isDenied: (path: string) => boolean): { text: string; omitted: string[] } {
  const omitted: string[] = [];
  const files = diff.split(/^(?=diff --git )/m).filter(part => {
    const names = /^diff --git a\/(.+?) b\/(.+)$/m.exec(part);
    if (!names) return part.trim().length > 0;
    const denied = [names[1], names[2]].some(isDenied);
    if (denied) omitted.push(names[2]);
    return !denied;
  });
  return { text: files.join('').trimEnd(), omitted };
}

function cutAtLine(text: string, maxChars: number): { text: string; truncated: boolean; lines: number } {
  if (text.length <= maxChars) return { text, truncated: false, lines: countLines(text) };
  const cut = text.lastIndexOf('\n', maxChars);
  const kept = text.slice(0, cut > 0 ? cut : maxChars);
  return { text: kept, truncated: true, lines: countLines(kept) };
}

function countLines(text: string): number {
  return text.replace(/\n$/, '').split('\n').length;
}
