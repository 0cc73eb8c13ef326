// VS Code's own icons (codicons, shipped in dist/codicons with the extension) for the panel's action buttons. An icon
// button keeps its visible name as its accessible name (aria-label) and its longer tooltip (title).
const ICONS: Record<string, string> = {
  copy: 'copy',
  insert: 'insert',
  'new-file': 'new-file',
  'apply-diff': 'diff',
  wrap: 'word-wrap',
  edit: 'edit',
  regenerate: 'refresh',
  continue: 'debug-continue',
};

/** Turns a text button whose `data-action` has an icon into an icon button; others are left as they are. */
export function withIcon<T extends HTMLElement>(button: T): T {
  const icon = ICONS[button.dataset.action ?? ''];
  if (!icon) return button;
  const label = button.textContent ?? '';
  button.setAttribute('aria-label', label.replace(/…$/, ''));
  if (!button.title) button.title = label;
  button.classList.add('icon-button');
  const glyph = document.createElement('span');
  glyph.className = `codicon codicon-${icon}`;
  glyph.setAttribute('aria-hidden', 'true');
  button.replaceChildren(glyph);
  return button;
}
