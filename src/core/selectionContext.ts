// Turns an editor selection into the text the model sees: where the code is, what language, which lines, and the code
// in a fence that its own backticks cannot close. Huge selections are cut, and both the model and the user are told.
import type { ContextLabel } from '../shared/domain';

export interface EditorSelection {
  /** Workspace-relative path with forward slashes (or the file name when outside any folder). */
  path: string;
  languageId: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  text: string;
}

export interface SelectionContext {
  /** The block appended to the user's message. */
  prompt: string;
  label: ContextLabel;
}

export const MAX_SELECTION_CHARS = 24_000;

export function formatSelectionContext(selection: EditorSelection, maxChars = MAX_SELECTION_CHARS): SelectionContext {
  let code = selection.text;
  let endLine = selection.endLine;
  const truncated = code.length > maxChars;
  if (truncated) {
    // Cut at a line boundary so the model never sees half a line.
    const cut = code.lastIndexOf('\n', maxChars);
    code = code.slice(0, cut > 0 ? cut : maxChars);
    endLine = selection.startLine + countLines(code) - 1;
  }
  const fence = fenceFor(code);
  const where = `${selection.path} (${selection.languageId}), lines ${selection.startLine}-${endLine}`;
  const note = truncated
    ? `\n[The selection was truncated: only lines ${selection.startLine}-${endLine} of ${selection.startLine}-${selection.endLine} are included.]`
    : '';
  return {
    prompt: `Selected code from ${where}:\n${fence}${selection.languageId}\n${code}\n${fence}${note}`,
    label: { path: selection.path, startLine: selection.startLine, endLine, truncated },
  };
}

/** A backtick fence one longer than the longest run inside the code (CommonMark's rule for nesting fences). */
export function fenceFor(code: string): string {
  let longest = 0;
  for (const run of code.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

function countLines(text: string): number {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}
