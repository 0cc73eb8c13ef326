// Comet's review findings as diagnostics (source "Comet") in the Problems panel. The findings are kept here beside
// their diagnostics, so a quick fix finds its replacement text; an edit that touches a finding's lines takes it away,
// and findings below an edit move with their lines (a DiagnosticCollection would otherwise stay where it was put).
import * as vscode from 'vscode';
import { Disposable } from '../core/disposable';
import { afterEdit, overlaps, type LineRange } from '../core/review/findingRanges';
import type { Finding, Severity } from '../core/review/findingSchema';

export const REVIEW_SOURCE = 'Comet';

export interface TrackedFinding extends Finding {
  id: string;
}

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export class ReviewDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('comet-review'));
  private readonly findings = new Map<string, { uri: vscode.Uri; items: TrackedFinding[] }>();
  private counter = 0;

  constructor() {
    super();
    this._register(vscode.workspace.onDidChangeTextDocument(event => this.onEdit(event)));
  }

  /** The findings of a new review of `reviewed` lines replace those an earlier review left in the same lines. */
  set(document: vscode.TextDocument, reviewed: LineRange, findings: readonly Finding[]): TrackedFinding[] {
    const key = document.uri.toString();
    const kept = (this.findings.get(key)?.items ?? []).filter(f => !overlaps(f, reviewed));
    const added = findings.map(f => ({ ...f, id: String(++this.counter) }));
    this.findings.set(key, { uri: document.uri, items: [...kept, ...added] });
    this.refresh(document.uri);
    return added;
  }

  /** The finding behind one of our diagnostics (a code action gets the diagnostic, not the finding). */
  findingFor(uri: vscode.Uri, diagnostic: vscode.Diagnostic): TrackedFinding | undefined {
    if (diagnostic.source !== REVIEW_SOURCE) return undefined;
    const id = typeof diagnostic.code === 'string' ? diagnostic.code : undefined;
    return this.findings.get(uri.toString())?.items.find(f => f.id === id);
  }

  byId(uri: vscode.Uri, id: string): TrackedFinding | undefined {
    return this.findings.get(uri.toString())?.items.find(f => f.id === id);
  }

  clear(): void {
    this.findings.clear();
    this.collection.clear();
  }

  private onEdit(event: vscode.TextDocumentChangeEvent): void {
    const entry = this.findings.get(event.document.uri.toString());
    if (!entry || !event.contentChanges.length) return;
    let items = entry.items;
    // VS Code lists the changes of one event from the end of the document up, so each range holds as it is applied.
    for (const change of event.contentChanges) {
      const insertedLineBreaks = change.text.split('\n').length - 1;
      items = afterEdit(items, { fromLine: change.range.start.line + 1, toLine: change.range.end.line + 1, insertedLineBreaks });
    }
    entry.items = items;
    this.refresh(event.document.uri);
  }

  private refresh(uri: vscode.Uri): void {
    const items = this.findings.get(uri.toString())?.items ?? [];
    const document = vscode.workspace.textDocuments.find(d => d.uri.toString() === uri.toString());
    this.collection.set(uri, items.map(f => toDiagnostic(f, document)));
  }
}

function toDiagnostic(finding: TrackedFinding, document: vscode.TextDocument | undefined): vscode.Diagnostic {
  const last = finding.endLine - 1;
  const endCharacter = document && last < document.lineCount ? document.lineAt(last).text.length : 0;
  const range = new vscode.Range(finding.startLine - 1, 0, last, endCharacter);
  const diagnostic = new vscode.Diagnostic(range, finding.message, SEVERITY[finding.severity]);
  diagnostic.source = REVIEW_SOURCE;
  // The id ties the diagnostic back to its finding; the Problems panel shows it as a short number.
  diagnostic.code = finding.id;
  return diagnostic;
}
