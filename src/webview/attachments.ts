// Images waiting in the composer: pasted, dropped (files, or explorer URIs the host reads) or picked in the
// workspace. They show as thumbnails until the question is sent.
import * as l10n from '@vscode/l10n';
import { IMAGE_MIME_TYPES, MAX_IMAGE_BYTES, MAX_IMAGES_PER_QUESTION, type ImageAttachment } from '../shared/domain';

const TYPES: readonly string[] = IMAGE_MIME_TYPES;

export class Attachments {
  private pending: ImageAttachment[] = [];
  /** Files being read hold their places, so that a paste of several is counted before any read ends. */
  private reading = 0;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly strip: HTMLElement,
    private readonly notice: HTMLElement,
    private readonly onDroppedUri: (uri: string) => void,
    /** After every change. */
    private readonly onChange: () => void,
  ) {}

  /** Wires paste on the prompt and drop on the whole panel. */
  listen(prompt: HTMLTextAreaElement, dropZone: HTMLElement): void {
    prompt.addEventListener('paste', event => {
      const files = Array.from(event.clipboardData?.files ?? []).filter(file => file.type.startsWith('image/'));
      if (!files.length) return;
      event.preventDefault();
      void this.addFiles(files);
    });
    dropZone.addEventListener('dragover', event => event.preventDefault());
    dropZone.addEventListener('drop', event => {
      event.preventDefault();
      const files = Array.from(event.dataTransfer?.files ?? []);
      if (files.length) {
        void this.addFiles(files);
        return;
      }
      // From VS Code's explorer (hold Shift to drop on a webview): resource URIs, read by the host.
      const uris = (event.dataTransfer?.getData('text/uri-list') ?? '').split(/\r?\n/).filter(line => line && !line.startsWith('#'));
      for (const uri of uris) this.onDroppedUri(uri);
    });
  }

  get count(): number {
    return this.pending.length;
  }

  /** What waits for the next question. */
  get images(): readonly ImageAttachment[] {
    return this.pending;
  }

  /** A draft's images as a page before this one left them: one change, however many. */
  restore(images: readonly ImageAttachment[]): void {
    if (!images.length) return;
    this.pending.push(...images.slice(0, this.room));
    this.render();
  }

  /** Adds an image, or says why it was not added: one question takes MAX_IMAGES_PER_QUESTION at most. */
  add(image: ImageAttachment): void {
    if (this.isFull(image.name)) return;
    this.pending.push(image);
    this.render();
  }

  /** Places left for images: the files still being read have theirs already. */
  private get room(): number {
    return Math.max(0, MAX_IMAGES_PER_QUESTION - this.pending.length - this.reading);
  }

  private isFull(name: string): boolean {
    if (this.room > 0) return false;
    this.showNotice(l10n.t('{0} was not attached: one question takes up to {1} images.', name, MAX_IMAGES_PER_QUESTION));
    return true;
  }

  /** The attachments for the question being sent; the composer starts empty again. */
  take(): ImageAttachment[] {
    const taken = this.pending;
    this.pending = [];
    this.render();
    return taken;
  }

  showNotice(message: string): void {
    this.notice.textContent = message;
    this.notice.hidden = false;
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => (this.notice.hidden = true), 8000);
  }

  /** Pasted or dropped files, in their order: each checked, then as many as the question has room for (one notice
   *  for the rest), read together and added in that order. */
  private async addFiles(files: readonly File[]): Promise<void> {
    const images = files.filter(file => {
      if (!TYPES.includes(file.type)) this.showNotice(l10n.t('{0} is not a PNG, JPEG, GIF or WebP image.', file.name || l10n.t('The file')));
      else if (file.size > MAX_IMAGE_BYTES) this.showNotice(l10n.t('{0} is {1} MB; images up to {2} MB can be attached.', file.name || l10n.t('The image'), (file.size / 1048576).toFixed(1), MAX_IMAGE_BYTES / 1048576));
      else return true;
      return false;
    });
    const room = this.room;
    if (images.length > room) {
      this.showNotice(l10n.t('{0} of {1} images were not attached: one question takes up to {2} images.', images.length - room, images.length, MAX_IMAGES_PER_QUESTION));
    }
    const taken = images.slice(0, room);
    if (!taken.length) return;
    this.reading += taken.length;
    const read = await Promise.allSettled(taken.map(readAsDataUrl));
    this.reading -= taken.length;
    read.forEach((result, index) => {
      const file = taken[index];
      if (result.status === 'fulfilled') this.add({ name: file.name || l10n.t('pasted image'), mimeType: file.type, dataUrl: result.value });
      else this.showNotice(l10n.t('{0} could not be read.', file.name || l10n.t('The image')));
    });
  }

  private render(): void {
    this.onChange();
    this.strip.hidden = !this.pending.length;
    this.strip.replaceChildren(
      ...this.pending.map((image, index) => {
        const item = document.createElement('div');
        item.className = 'attachment';
        item.append(thumbnail(image));
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.className = 'secondary';
        remove.dataset.action = 'remove-image';
        remove.title = l10n.t('Remove {0}', image.name);
        remove.textContent = '×';
        remove.addEventListener('click', () => {
          this.pending.splice(index, 1);
          this.render();
        });
        item.append(remove);
        return item;
      }),
    );
  }
}

function readAsDataUrl(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

export function thumbnail(image: ImageAttachment): HTMLImageElement {
  const img = document.createElement('img');
  img.className = 'thumbnail';
  img.src = image.dataUrl;
  img.alt = image.name;
  img.title = image.name;
  return img;
}
