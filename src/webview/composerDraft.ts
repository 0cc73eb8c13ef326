// Layer webview/: browser code. It may import ../shared/ only.
// What is being written survives the panel's page being built anew: VS Code drops a hidden view's page (Comet keeps
// no hidden DOM alive) and keeps only the state the page handed it. The draft's text and images live there; the
// chips' text stays in the host, which sends the chips back with its restore.
import { IMAGE_MIME_TYPES, MAX_IMAGE_BYTES, MAX_IMAGES_PER_QUESTION, type ImageAttachment } from '../shared/domain';
import { saveState, savedState } from './vscodeApi';

export interface ComposerDraft {
  text: string;
  images: ImageAttachment[];
}

/** A data URL of the largest image that can be attached, with room for its header. */
const MAX_DATA_URL_CHARS = Math.ceil((MAX_IMAGE_BYTES * 4) / 3) + 100;
const MAX_DRAFT_CHARS = 1_000_000;
const MAX_DRAFT_IMAGES = MAX_IMAGES_PER_QUESTION;

const isImage = (value: unknown): value is ImageAttachment => {
  const image = value as Partial<ImageAttachment> | null;
  return typeof image?.name === 'string' && typeof image.dataUrl === 'string' && image.dataUrl.length <= MAX_DATA_URL_CHARS &&
    (IMAGE_MIME_TYPES as readonly unknown[]).includes(image.mimeType) && image.dataUrl.startsWith(`data:${image.mimeType};`);
};

/** The draft the last page of this view left, or an empty one. */
export function restoredDraft(): ComposerDraft {
  return readDraft(savedState());
}

/** The state is the page's own, but checked like any input: whatever is not a draft's text or image is left out. */
export function readDraft(state: unknown): ComposerDraft {
  const draft = (state as { draft?: { text?: unknown; images?: unknown } } | null | undefined)?.draft;
  const text = typeof draft?.text === 'string' ? draft.text.slice(0, MAX_DRAFT_CHARS) : '';
  const images = Array.isArray(draft?.images) ? draft.images.filter(isImage).slice(0, MAX_DRAFT_IMAGES) : [];
  return { text, images };
}

/** Images up to this size (in data URL characters) are copied into VS Code's state on every keystroke; above it, a
 *  keystroke's save waits for a pause in the typing. */
const KEEP_AT_ONCE_MAX_CHARS = 2_000_000;
const KEEP_AFTER_PAUSE_MS = 300;

/**
 * Keeps the draft as it changes: `now` for a change of the images, `soon` for a keystroke. Each save copies the whole
 * draft, so with over 2 MB of images attached a keystroke's save waits for a 300 ms pause in the typing: only what
 * was typed in the last 300 ms before the chat is hidden can then be lost.
 */
export function draftKeeper(read: () => ComposerDraft): { now(): void; soon(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const now = () => {
    clearTimeout(timer);
    timer = undefined;
    const draft = read();
    saveState({ draft: { text: draft.text.slice(0, MAX_DRAFT_CHARS), images: draft.images.slice(0, MAX_DRAFT_IMAGES) } });
  };
  return {
    now,
    soon: () => {
      const imageChars = read().images.reduce((sum, image) => sum + image.dataUrl.length, 0);
      if (imageChars <= KEEP_AT_ONCE_MAX_CHARS) return now();
      clearTimeout(timer);
      timer = setTimeout(now, KEEP_AFTER_PAUSE_MS);
    },
  };
}
