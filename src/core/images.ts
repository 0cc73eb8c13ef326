// Images attached to a question: recognised by their bytes (not their names), size-checked, and turned into the
// `image_url` content parts the API takes, as data URLs.
import * as l10n from '@vscode/l10n';
import type { ChatContentPart } from '../llm/request';
import { MAX_IMAGE_BYTES, type ImageAttachment } from '../shared/domain';

export { MAX_IMAGE_BYTES };
export type ImageDetail = 'auto' | 'low' | 'high';

const SIGNATURES: Array<[string, (b: Uint8Array) => boolean]> = [
  ['image/png', b => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47],
  ['image/jpeg', b => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['image/gif', b => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46],
  ['image/webp', b => b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50],
];

export class ImageError extends Error {}

export function sniffImageType(bytes: Uint8Array): string | undefined {
  return SIGNATURES.find(([, test]) => bytes.length >= 12 && test(bytes))?.[0];
}

/** An attachment from file bytes, or an ImageError that says why not. */
export function imageFromBytes(name: string, bytes: Uint8Array): ImageAttachment {
  const mimeType = sniffImageType(bytes);
  if (!mimeType) throw new ImageError(l10n.t('{0} is not a PNG, JPEG, GIF or WebP image.', name));
  if (bytes.length > MAX_IMAGE_BYTES) throw new ImageError(l10n.t('{0} is {1} MB; images up to {2} MB can be attached.', name, (bytes.length / 1048576).toFixed(1), MAX_IMAGE_BYTES / 1048576));
  return { name, mimeType, dataUrl: `data:${mimeType};base64,${Buffer.from(bytes).toString('base64')}` };
}

/** Re-checks an attachment that came from the webview (pasted or dropped there). */
export function checkAttachment(image: ImageAttachment): ImageAttachment {
  const match = /^data:(image\/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/=]+)$/.exec(image.dataUrl);
  if (!match) throw new ImageError(l10n.t('{0} is not a PNG, JPEG, GIF or WebP image.', image.name));
  return imageFromBytes(image.name, Buffer.from(match[2], 'base64'));
}

export function userContent(text: string, images: readonly ImageAttachment[], detail: ImageDetail): string | ChatContentPart[] {
  if (!images.length) return text;
  return [{ type: 'text', text }, ...images.map(image => ({ type: 'image_url' as const, image_url: { url: image.dataUrl, detail } }))];
}
