// Layer webview/: browser code. It may import ../shared/ only.
// The files, problems and changes attached to the next question, as chips in the composer: each says what it is and
// whether it was cut to the size limit, and × removes it (here and in the host). The text stays in the host; the
// chips send their ids, and the host puts them back when the panel's page is built anew.
// `#` typed at the start of a word opens the host's picker of what to attach (the `#` itself is not kept).
import * as l10n from '@vscode/l10n';
import type { ContextChip } from '../shared/domain';

const ICONS: Record<ContextChip['kind'], string> = { file: '📄', problems: '⚠', changes: '±' };

export class ContextChips {
  private chips: ContextChip[] = [];

  constructor(private readonly strip: HTMLElement, private readonly onRemove: (id: string) => void) {}

  /** Calls `onHash` when `#` is typed where a word starts. */
  listenForHash(prompt: HTMLTextAreaElement, onHash: () => void): void {
    prompt.addEventListener('input', event => {
      const input = event as InputEvent;
      if (input.data !== '#' || input.isComposing) return;
      const at = prompt.selectionStart - 1;
      if (prompt.value[at] !== '#' || (at > 0 && !/\s/.test(prompt.value[at - 1]))) return;
      prompt.value = prompt.value.slice(0, at) + prompt.value.slice(at + 1);
      prompt.setSelectionRange(at, at);
      onHash();
    });
  }

  get count(): number {
    return this.chips.length;
  }

  /** Once per id: the host's restore puts back every chip that waits, also one this page was sent already. */
  add(chip: ContextChip): void {
    if (this.chips.some(c => c.id === chip.id)) return;
    this.chips.push(chip);
    this.render();
  }

  /** The ids for the question being sent; the composer starts empty again. */
  take(): string[] {
    const ids = this.chips.map(chip => chip.id);
    this.chips = [];
    this.render();
    return ids;
  }

  private render(): void {
    this.strip.hidden = !this.chips.length;
    this.strip.replaceChildren(...this.chips.map(chip => this.chipElement(chip)));
  }

  private chipElement(chip: ContextChip): HTMLElement {
    const item = document.createElement('span');
    item.className = 'context-chip attached-context';
    item.dataset.kind = chip.kind;
    item.textContent = `${ICONS[chip.kind]} ${chip.label}${chip.truncated ? l10n.t(' (cut to fit)') : ''}`;
    item.title = chip.truncated ? l10n.t('Too large to send whole: only the first part goes with the question.') : l10n.t('Goes with the next question');
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'secondary';
    remove.dataset.action = 'remove-context';
    remove.title = l10n.t('Remove {0}', chip.label);
    remove.textContent = '×';
    remove.addEventListener('click', () => {
      this.chips = this.chips.filter(c => c.id !== chip.id);
      this.render();
      this.onRemove(chip.id);
    });
    item.append(remove);
    return item;
  }
}
