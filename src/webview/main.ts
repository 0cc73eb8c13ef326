// Layer webview/: browser code. It may import ../shared/ only (the protocol and the domain types).
// The chat panel's entry point: wires the DOM to the host. It says `ready` first; the host answers with `restore`.
// First: the strings' language, before any module below builds its text.
import './localize';
import * as l10n from '@vscode/l10n';
import { dispatch, isHostToWebview, type HostToWebview, type MessageHandlers } from '../shared/protocol';
import { Attachments } from './attachments';
import { Announcer } from './announcer';
import { ChatView } from './chatView';
import { ContextChips } from './contextChips';
import { draftKeeper, restoredDraft } from './composerDraft';
import { growWithText, setPrompt } from './composerGrow';
import { keepContrast } from './contrast';
import { showKeyStatus, wireEmptyState } from './emptyState';
import { ConversationPicker } from './conversationPicker';
import { listenForLinks } from './markdown';
import { MessageList } from './messageList';
import { onWrapToggled, showWrapChoice } from './codeBlocks';
import { send } from './vscodeApi';

function byId<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from the chat HTML`);
  return node as T;
}

const root = byId('comet-root');
keepContrast(root);
// The page is built anew each time the panel is shown and on a reload: the host keeps the wrap choice and sends it
// with its answer to `ready`.
onWrapToggled(on => send({ type: 'setCodeWrap', on }));

const prompt = byId<HTMLTextAreaElement>('prompt');
growWithText(prompt);
const stopButton = byId<HTMLButtonElement>('stop');
const keyBanner = byId<HTMLElement>('key-banner');
let busy = false;
let lastQuestion = '';
/** Numbers the questions sent from this page (see ChatView.showSent), after a prefix of its own: an echo for a page
 *  that was reloaded since can never match a question of this one. */
const sentPrefix = Math.floor(performance.timeOrigin).toString(36);
let sentCount = 0;

const announcer = new Announcer(byId('announcer'));
const editBanner = byId<HTMLElement>('edit-banner');
let editing = false;

function setEditing(on: boolean): void {
  editing = on;
  editBanner.hidden = !on;
}

new MessageList(byId('messages'));
const chat = new ChatView(
  byId('messages'),
  {
    errorAction: (action, setting) => send(action === 'openSettings' ? { type: 'openSettings', setting } : { type: action }),
    toolDecision: (callId, allow) => send({ type: 'toolDecision', callId, allow }),
    codeAction: (action, code, language) => send({ type: 'codeAction', action, code, language }),
    continueAnswer: () => send({ type: 'continue' }),
    regenerate: () => send({ type: 'regenerate' }),
    editQuestion: text => {
      // Editing first, so that the draft kept is not the question being edited.
      setEditing(true);
      setPrompt(prompt, text);
      prompt.focus();
    },
  },
  isBusy => {
    // Stop hides itself when the answer ends, and a panel that opens has the focus on its page: keep the keyboard in
    // the composer rather than lost on the page. Without scrolling it into view, the focus needs no layout.
    const refocus = !isBusy && (document.activeElement === stopButton || document.activeElement === document.body);
    busy = isBusy;
    stopButton.hidden = !isBusy;
    if (refocus) prompt.focus({ preventScroll: true });
    document.body.classList.toggle('busy', isBusy);
  },
  hasApiKey => {
    keyBanner.hidden = hasApiKey;
    showKeyStatus(hasApiKey);
  },
  entry => announcer.entry(entry),
);

// The draft (text and images) outlives this page; an edit of the last question does not.
const keep = draftKeeper(() => ({ text: editing ? '' : prompt.value, images: [...attachments.images] }));
const attachments = new Attachments(byId('attachments'), byId('composer-notice'), uri => send({ type: 'attachImageUri', uri }), () => keep.now());
const draft = restoredDraft();
// The text first, while no image makes its save wait; then the images, kept with it in one save.
prompt.addEventListener('input', keep.soon);
if (draft.text) setPrompt(prompt, draft.text);
attachments.restore(draft.images);
attachments.listen(prompt, root);
byId('attach-image').addEventListener('click', () => send({ type: 'pickImage' }));
const contextChips = new ContextChips(byId('context-chips'), id => send({ type: 'removeContext', id }));
contextChips.listenForHash(prompt, () => send({ type: 'pickContext' }));
byId('attach-context').addEventListener('click', () => send({ type: 'pickContext' }));

const modelButton = byId<HTMLButtonElement>('model-button');
modelButton.addEventListener('click', () => send({ type: 'selectModel' }));
const conversations = new ConversationPicker(byId<HTMLSelectElement>('conversation-select'), id => send({ type: 'switchConversation', id }));

const handlers: MessageHandlers<HostToWebview> = {
  ...chat.handlers,
  conversations: message => conversations.show(message),
  model: message => (modelButton.textContent = message.model),
  imageAttached: message => attachments.add(message.image),
  contextAttached: message => contextChips.add(message.chip),
  composerNotice: message => {
    // A refused question leaves the chat; its text goes back into an empty composer, so nothing typed is lost. A
    // notice about a question the host has already added (it failed later) says nothing the chat does not show.
    if (message.sentId === undefined) return attachments.showNotice(message.message);
    const withdrawn = chat.withdrawSent(message.sentId);
    if (withdrawn === undefined) return;
    if (withdrawn.typed && !prompt.value) setPrompt(prompt, withdrawn.typed);
    attachments.restore(withdrawn.images);
    attachments.showNotice(message.message);
  },
  codeWrap: message => showWrapChoice(message.on),
};

window.addEventListener('message', event => {
  if (!isHostToWebview(event.data)) return;
  dispatch(handlers, event.data);
});

/** What a question without words asks: about its images, or its context. */
function defaultQuestion(): string {
  if (!attachments.count) return l10n.t('Look at the attached context.');
  return attachments.count === 1 ? l10n.t('What is in this image?') : l10n.t('What is in these images?');
}

function submit(): void {
  const text = prompt.value.trim();
  if (!text && (editing || (!attachments.count && !contextChips.count))) return;
  lastQuestion = text;
  setPrompt(prompt, '');
  if (editing) send({ type: 'editAndResend', text });
  else {
    const question = { text: text || defaultQuestion(), images: attachments.take() };
    const sentId = `${sentPrefix}.${++sentCount}`;
    chat.showSent(sentId, question, text);
    send({ type: 'send', ...question, contextIds: contextChips.take(), sentId });
  }
  setEditing(false);
  prompt.focus();
}

wireEmptyState(byId('empty-state'), {
  setApiKey: () => send({ type: 'setApiKey' }),
  chooseEndpoint: () => send({ type: 'chooseEndpoint' }),
  ask: question => {
    setPrompt(prompt, question);
    submit();
  },
});

editBanner.querySelector('button')?.addEventListener('click', () => {
  setEditing(false);
  setPrompt(prompt, '');
});

byId<HTMLFormElement>('composer').addEventListener('submit', event => {
  event.preventDefault();
  submit();
});
prompt.addEventListener('keydown', event => {
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    submit();
  } else if (event.key === 'Escape' && busy) {
    event.preventDefault();
    send({ type: 'stop' });
  } else if (event.key === 'ArrowUp' && !prompt.value && lastQuestion) {
    event.preventDefault();
    setPrompt(prompt, lastQuestion);
  }
});
document.addEventListener('keydown', event => {
  if (event.key === 'Escape' && busy && event.target !== prompt) send({ type: 'stop' });
});
stopButton.addEventListener('click', () => send({ type: 'stop' }));
byId('new-chat').addEventListener('click', () => send({ type: 'newChat' }));
listenForLinks(byId('messages'), url => send({ type: 'openLink', url }));
keyBanner.querySelector('button')?.addEventListener('click', () => send({ type: 'setApiKey' }));

send({ type: 'ready' });
setTimeout(() => chat.warmUp(), 0);
