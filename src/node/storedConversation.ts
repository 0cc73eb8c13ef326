// The on-disk format of one conversation, and the check a file must pass before the chat trusts it.
//
// Format 2 (0.2.0) adds `format` and stores each image once: the entries and the transcript both held the same data
// URL, so a 4 MiB image made a 10.7 MiB file. Now `images` maps a content hash to the data URL and both places hold
// `comet-image:<hash>`. Format 1 (0.1.0, no `format` field) is read as it is. A newer format, or a file of the wrong
// shape, is refused with a reason, so the store can set it aside instead of failing later.
//
// Format 3 adds `journal`, present only while an answer streams: the token of the journal that extends this
// file (./storeJournal). A journal whose header names another token is not this file's and is never applied.
import { createHash } from 'node:crypto';
import type { ConversationData } from '../core/conversation';
import * as l10n from '@vscode/l10n';

export const STORE_FORMAT = 3;
const IMAGE_REF = 'comet-image:';

export type Decoded = { ok: true; data: ConversationData; journal?: string } | { ok: false; reason: string };

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === 'string';

/** The file's text: the conversation with every image once (and the token of its journal). Leaves `data` untouched. */
export function encodeConversation(data: ConversationData, journal?: string): string {
  const images: Record<string, string> = {};
  const ref = (url: string): string => {
    if (!url.startsWith('data:')) return url;
    const key = createHash('sha256').update(url).digest('hex').slice(0, 24);
    images[key] = url;
    return IMAGE_REF + key;
  };
  const entries = data.entries.map(entry =>
    entry.kind === 'user' && entry.images ? { ...entry, images: entry.images.map(image => ({ ...image, dataUrl: ref(image.dataUrl) })) } : entry,
  );
  const transcript = mapImageUrls(data.transcript, ref);
  return JSON.stringify({ format: STORE_FORMAT, ...data, entries, transcript, ...(Object.keys(images).length ? { images } : {}), ...(journal ? { journal } : {}) });
}

/** Parses and checks a stored conversation of any known format. */
export function decodeConversation(text: string): Decoded {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: l10n.t('not JSON: {0}', (error as Error).message) };
  }
  if (!isObject(raw)) return { ok: false, reason: l10n.t('not a conversation object') };
  const format = raw.format ?? 1;
  if (typeof format !== 'number') return { ok: false, reason: l10n.t('its format is not a number') };
  if (format > STORE_FORMAT) return { ok: false, reason: l10n.t('it was written by a newer Comet (format {0}; this version reads up to {1})', format, STORE_FORMAT) };
  const problem = shapeProblem(raw);
  if (problem) return { ok: false, reason: problem };
  const images = isObject(raw.images) ? raw.images : {};
  let missing = '';
  const expand = (url: string): string => {
    if (!url.startsWith(IMAGE_REF)) return url;
    const found = images[url.slice(IMAGE_REF.length)];
    if (!isString(found)) missing = url;
    return isString(found) ? found : url;
  };
  if (raw.journal !== undefined && !isString(raw.journal)) return { ok: false, reason: l10n.t('its journal token is not text') };
  const { format: _format, images: _images, journal, ...rest } = raw;
  const data = rest as unknown as ConversationData;
  data.entries = data.entries.map(entry =>
    entry.kind === 'user' && entry.images ? { ...entry, images: entry.images.map(image => ({ ...image, dataUrl: expand(image.dataUrl) })) } : entry,
  );
  data.transcript = mapImageUrls(data.transcript, expand);
  if (missing) return { ok: false, reason: l10n.t('it refers to an image it does not hold ({0})', missing) };
  return { ok: true, data, ...(journal ? { journal: journal as string } : {}) };
}

/** What is wrong with the shape, or '' when the conversation can be shown and sent. */
function shapeProblem(raw: Json): string {
  if (!isString(raw.id)) return l10n.t('it has no id');
  if (raw.title !== undefined && !isString(raw.title)) return l10n.t('its title is not text');
  if (raw.updatedAt !== undefined && typeof raw.updatedAt !== 'number') return l10n.t('its date is not a number');
  if (!Array.isArray(raw.entries)) return l10n.t('it has no entries');
  const bad = raw.entries.findIndex(entry => !isEntry(entry));
  if (bad >= 0) return l10n.t('entry {0} is not a chat entry', bad);
  if (!isObject(raw.transcript)) return l10n.t('it has no transcript');
  for (const [id, messages] of Object.entries(raw.transcript)) {
    if (!Array.isArray(messages) || !messages.every(m => isObject(m) && isString(m.role))) return l10n.t('the transcript of {0} is not a list of messages', id.slice(0, 40));
  }
  if (raw.images !== undefined && !(isObject(raw.images) && Object.values(raw.images).every(isString))) return l10n.t('its images are not data URLs');
  return '';
}

function isEntry(entry: unknown): boolean {
  if (!isObject(entry) || !isString(entry.id)) return false;
  switch (entry.kind) {
    case 'user':
      return isString(entry.text) && (entry.images === undefined || (Array.isArray(entry.images) && entry.images.every(i => isObject(i) && isString(i.name) && isString(i.mimeType) && isString(i.dataUrl))));
    case 'assistant':
      return isString(entry.text) && isString(entry.state) && isString(entry.model) && (entry.tools === undefined || Array.isArray(entry.tools));
    case 'error':
      return isString(entry.message);
    default:
      return false;
  }
}

/** The transcript with every `image_url.url` passed through `map`; the input is not changed. */
function mapImageUrls(transcript: ConversationData['transcript'], map: (url: string) => string): ConversationData['transcript'] {
  const out: ConversationData['transcript'] = {};
  for (const [id, messages] of Object.entries(transcript)) {
    out[id] = messages.map(message => {
      if (message.role !== 'user' || !Array.isArray(message.content)) return message;
      const content = message.content.map(part => (part.type === 'image_url' ? { ...part, image_url: { ...part.image_url, url: map(part.image_url.url) } } : part));
      return { ...message, content };
    });
  }
  return out;
}
