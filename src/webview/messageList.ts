// The conversation as a keyboard list: one Tab stop for all the messages (a roving tabindex), ↑/↓ to the previous or
// next message, Home/End to the first or last; Tab goes on from a message into its actions, then to the composer.
// It watches the list's children (and its chunks' children, see entryChunks.ts), so the views that build entries need
// not know about it.
import { entriesFromEnd, isChunk, isEntryOf, lastEntryOf } from './entryChunks';

const ITEM_ROLE = 'listitem';

export class MessageList {
  /** The message the user last moved to; until then, and once it is gone, the newest message is the Tab stop. */
  private current: HTMLElement | undefined;
  /** The one message with tabindex 0. */
  private stop: HTMLElement | undefined;

  constructor(private readonly list: HTMLElement) {
    list.setAttribute('role', 'list');
    const added = new MutationObserver(records => {
      for (const record of records) {
        record.addedNodes.forEach(node => {
          if (isChunk(node)) {
            added.observe(node, { childList: true });
            Array.from(node.children).forEach(item => this.adopt(item as HTMLElement));
          } else if (node instanceof HTMLElement && isEntryOf(this.list, node)) this.adopt(node);
        });
      }
      this.refresh();
    });
    added.observe(list, { childList: true });
    list.addEventListener('keydown', event => this.onKey(event));
    list.addEventListener('focusin', event => {
      const item = this.itemOf(event.target);
      if (item) this.makeCurrent(item);
    });
    this.items().forEach(item => this.adopt(item));
    this.refresh();
  }

  private adopt(item: HTMLElement): void {
    item.setAttribute('role', ITEM_ROLE);
    item.tabIndex = -1;
  }

  private items(): HTMLElement[] {
    return Array.from(entriesFromEnd(this.list)).reverse();
  }

  private itemOf(target: EventTarget | null): HTMLElement | undefined {
    let node = target instanceof Element ? target : null;
    while (node && !isEntryOf(this.list, node)) node = node.parentElement;
    return (node as HTMLElement | null) ?? undefined;
  }

  // Touches only the old and the new Tab stop, so a long chat pays nothing per message added.
  private refresh(): void {
    if (this.current && !isEntryOf(this.list, this.current)) this.current = undefined;
    const stop = this.current ?? lastEntryOf(this.list);
    if (this.stop && this.stop !== stop) this.stop.tabIndex = -1;
    if (stop) stop.tabIndex = 0;
    this.stop = stop;
  }

  private makeCurrent(item: HTMLElement): void {
    if (this.current === item) return;
    this.current = item;
    this.refresh();
  }

  // Only on a message itself: inside it, the arrow keys belong to what has the focus (a code block scrolls).
  private onKey(event: KeyboardEvent): void {
    const item = event.target as HTMLElement;
    if (!isEntryOf(this.list, item) || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const items = this.items();
    const at = items.indexOf(item);
    const to = { ArrowUp: at - 1, ArrowDown: at + 1, Home: 0, End: items.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const next = items[Math.max(0, Math.min(items.length - 1, to))];
    if (!next) return;
    this.makeCurrent(next);
    next.focus();
  }
}
