// The webview's strings in VS Code's display language: the host puts its l10n bundle in the page (data-l10n on
// #comet-root), and this module, imported first by main.ts, hands it to @vscode/l10n before any other module builds
// its text. English needs no bundle: each l10n.t() then returns its own English text.
import * as l10n from '@vscode/l10n';

type Bundle = Record<string, string | { message: string; comment: string[] }>;

/** The bundle if `raw` is one (JSON: an object of strings, or of { message, comment }), else undefined. */
export function parseBundle(raw: string | undefined): Bundle | undefined {
  if (!raw) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  const valid = entries.every(([, message]) => typeof message === 'string' ||
    (typeof message === 'object' && message !== null && typeof (message as { message?: unknown }).message === 'string'));
  return valid && entries.length ? (value as Bundle) : undefined;
}

const bundle = parseBundle(document.getElementById('comet-root')?.dataset.l10n);
if (bundle) l10n.config({ contents: bundle });
