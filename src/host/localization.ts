// The strings of core/ (which knows no vscode) use @vscode/l10n; here it gets VS Code's bundle for the display
// language, the same one vscode.l10n.t() reads. English has none, and each string is its own English text.
// chat.ts (the chat bundle's root) imports this first, so the bundle is in place before any module builds its strings.
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
