// A restored conversation's older entries are drawn into chunks, each under one `content-visibility` (chat.css): the
// browser's work per frame (its intersection checks for content-visibility, pre-paint, layout) then grows with the
// chunks, not the entries. With every entry a child of the list, restoring 10,000 messages took 14 s here and slowed
// as it went; in chunks of 50, 5 s. The entries inside a chunk are still the list's items (MessageList).

const ENTRIES_PER_CHUNK = 50;
const ENTRY_CHUNK_CLASS = 'entry-chunk';

export function newChunk(): HTMLElement {
  const chunk = document.createElement('div');
  chunk.className = ENTRY_CHUNK_CLASS;
  // Only a wrapper, for assistive technology too.
  chunk.setAttribute('role', 'none');
  return chunk;
}

export function isChunkFull(chunk: HTMLElement): boolean {
  return chunk.childElementCount >= ENTRIES_PER_CHUNK;
}

export function isChunk(element: Node | null | undefined): element is HTMLElement {
  return element instanceof HTMLElement && element.classList.contains(ENTRY_CHUNK_CLASS);
}

/** Whether `element` is one of `list`'s entries: its own child, or a child of its chunk. */
export function isEntryOf(list: HTMLElement, element: Element): boolean {
  const parent = element.parentElement;
  return parent === list ? !isChunk(element) : isChunk(parent) && parent.parentElement === list;
}

/** The list's newest entry. */
export function lastEntryOf(list: HTMLElement): HTMLElement | undefined {
  const last = list.lastElementChild;
  return ((isChunk(last) ? last.lastElementChild : last) as HTMLElement | null) ?? undefined;
}

/** The list's entries, newest first, into and out of chunks: a walk that stops where its caller does (a selector
 *  over the chunks, `:scope > x, :scope > .entry-chunk > x`, took 2.9 ms a query on 1,000 messages). */
export function* entriesFromEnd(list: HTMLElement): Generator<HTMLElement> {
  for (let child = list.lastElementChild; child; child = child.previousElementSibling) {
    if (!isChunk(child)) yield child as HTMLElement;
    else for (let entry = child.lastElementChild; entry; entry = entry.previousElementSibling) yield entry as HTMLElement;
  }
}
