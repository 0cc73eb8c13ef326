// The conversation list at the top of the panel: pick one to switch to it. Rename, Export and Delete live in the
// view's title menu (they need VS Code's input box and confirmation dialog).
import type { HostToWebview } from '../shared/protocol';

type ConversationsMessage = Extract<HostToWebview, { type: 'conversations' }>;

export class ConversationPicker {
  constructor(private readonly select: HTMLSelectElement, onSwitch: (id: string) => void) {
    select.addEventListener('change', () => onSwitch(select.value));
  }

  show({ items, activeId }: ConversationsMessage): void {
    this.select.replaceChildren(
      ...items.map(item => {
        const option = document.createElement('option');
        option.value = item.id;
        option.textContent = item.title;
        option.selected = item.id === activeId;
        return option;
      }),
    );
    this.select.disabled = items.length < 2;
  }
}
