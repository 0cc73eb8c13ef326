// Layer core/: no vscode, no disk, no processes.
// Where findings land in the file: only inside the lines that were reviewed (a finding outside them is left out and
// counted, so the user hears of it), one fix per stretch of lines (a fix that overlaps an earlier one loses its fix,
// as applying both would apply neither cleanly), and how findings move or go when their file is edited.
import type { Finding } from './findingSchema';

export interface LineRange {
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
}

export interface PlacedFindings {
  findings: Finding[];
  /** Findings that pointed outside the reviewed lines, left out. */
  outside: Finding[];
  /** How many fixes were dropped because they overlapped an earlier finding's fix. */
  conflictingFixes: number;
}

export function placeFindings(findings: readonly Finding[], reviewed: LineRange): PlacedFindings {
  const outside = findings.filter(f => f.startLine < reviewed.startLine || f.endLine > reviewed.endLine);
  const inside = findings.filter(f => !outside.includes(f));
  const sorted = [...inside].sort((a, b) => a.startLine - b.startLine || a.endLine - b.endLine);
  const placed: Finding[] = [];
  const fixed: LineRange[] = [];
  let conflictingFixes = 0;
  for (const finding of sorted) {
    if (placed.some(p => sameFinding(p, finding))) continue;
    if (finding.replacement !== null && fixed.some(range => overlaps(range, finding))) {
      conflictingFixes++;
      placed.push({ ...finding, replacement: null });
      continue;
    }
    if (finding.replacement !== null) fixed.push(finding);
    placed.push(finding);
  }
  return { findings: placed, outside, conflictingFixes };
}

export function overlaps(a: LineRange, b: LineRange): boolean {
  return a.startLine <= b.endLine && b.startLine <= a.endLine;
}

function sameFinding(a: Finding, b: Finding): boolean {
  return a.startLine === b.startLine && a.endLine === b.endLine && a.message === b.message;
}

/** One edit of a document, in 1-based lines: it replaced lines fromLine..toLine, and its text has this many line breaks. */
export interface LineEdit {
  fromLine: number;
  toLine: number;
  insertedLineBreaks: number;
}

/** The findings after an edit: those whose lines it touched are gone, those below it move with their lines. */
export function afterEdit<T extends LineRange>(findings: readonly T[], edit: LineEdit): T[] {
  const delta = edit.insertedLineBreaks - (edit.toLine - edit.fromLine);
  return findings.flatMap(finding => {
    if (overlaps(finding, { startLine: edit.fromLine, endLine: edit.toLine })) return [];
    if (finding.startLine > edit.toLine && delta) return [{ ...finding, startLine: finding.startLine + delta, endLine: finding.endLine + delta }];
    return [finding];
  });
}
