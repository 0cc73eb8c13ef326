// Layer webview/: browser code. It may import ../shared/ only.
// What is being written survives the panel's page being built anew: VS Code drops a hidden view's page (Comet keeps
// no hidden DOM alive) and keeps only the state the page handed it. The draft's text and images live there; the
// chips' text stays in the host, which sends the chips back with its restore.
import { IMAGE_MIME_TYPES, MAX_IMAGE_BYTES, type ImageAttachment } from '../shared/domain';
import { saveState, savedState } from './vscodeApi';

export interface ComposerDraft {
  text: string;
  images: ImageAttachment[];
}

/** A data URL of the largest image that can be attached, with room for its header. */
const MAX_DATA_URL_CHARS = Math.ceil((MAX_IMAGE_BYTES * 4) / 3) + 100;
const MAX_DRAFT_CHARS = 1_000_000;
const MAX_DRAFT_IMAGES = 20;

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

export function keepDraft(draft: ComposerDraft): void {
  saveState({ draft: { text: draft.text.slice(0, MAX_DRAFT_CHARS), images: draft.images.slice(0, MAX_DRAFT_IMAGES) } });
}
