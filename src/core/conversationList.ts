// The conversations of the workspace and which one is open: switch, rename, delete, export, new. Changes to the open
// conversation go through the session's action queue, so they never interleave with an answer.
import * as l10n from '@vscode/l10n';
import type { ChatUpdate } from '../shared/domain';
import type { ActionQueue } from './actionQueue';
import { Conversation, type ConversationSummary } from './conversation';
import { conversationToMarkdown } from './exportMarkdown';
import type { ConversationLibrary } from './ports';

export interface ConversationListPorts {
  library: ConversationLibrary;
  post(message: ChatUpdate): void;
  /** Posts the open conversation's whole state to the view. */
  postSnapshot(): Promise<void>;
}

export class ConversationList {
  constructor(private readonly ports: ConversationListPorts, private readonly queue: ActionQueue, private openValue = new Conversation()) {}

  get open(): Conversation {
    return this.openValue;
  }

  /** The saved conversations, newest first, with the open one even if it is not saved yet. */
  async summaries(): Promise<ConversationSummary[]> {
    const items = await this.ports.library.list();
    if (!items.some(item => item.id === this.open.id)) items.unshift(this.open.summary());
    return items;
  }

  /** Tells the webview which conversations exist and which is open. */
  async postList(): Promise<void> {
    const items = (await this.summaries()).map(({ id, title }) => ({ id, title }));
    this.ports.post({ type: 'conversations', items, activeId: this.open.id });
  }

  /** Opens a listed conversation; an id the list does not hold (a forged message, a stale command) is refused. */
  async switchTo(id: string): Promise<void> {
    if (id === this.open.id) return;
    if (!(await this.isListed(id))) throw new Error(l10n.t('There is no such conversation.'));
    await this.queue.run(async () => {
      const data = await this.ports.library.load(id);
      if (!data) {
        // Listed but gone (deleted elsewhere, or set aside as corrupt): drop it from the list.
        await this.ports.library.delete(id);
        await this.postList();
        throw new Error(l10n.t('That conversation could not be opened; it was removed from the list.'));
      }
      await this.show(Conversation.restore(data));
    });
  }

  async rename(id: string, title: string): Promise<void> {
    const conversation = id === this.open.id ? this.open : (await this.isListed(id)) ? await this.loadConversation(id) : undefined;
    if (!conversation) return;
    conversation.customTitle = title.trim() || undefined;
    await this.ports.library.save(conversation.toJSON(), conversation.summary());
    await this.postList();
  }

  async remove(id: string): Promise<void> {
    if (id !== this.open.id) {
      if (!(await this.isListed(id))) return;
      await this.ports.library.delete(id);
      return this.postList();
    }
    await this.queue.run(async () => {
      await this.ports.library.delete(id);
      const [next] = await this.ports.library.list();
      const data = next && (await this.ports.library.load(next.id));
      await this.show(data ? Conversation.restore(data) : new Conversation());
    });
  }

  /** Starts an empty conversation; the one before stays in the list. It is saved once it has a question. */
  newChat(): Promise<void> {
    return this.queue.run(async () => {
      this.openValue = new Conversation();
      this.ports.post({ type: 'cleared' });
      await this.postList();
    });
  }

  /** The open conversation as Markdown. */
  exportMarkdown(): string {
    return conversationToMarkdown(this.open.title, this.open.entries);
  }

  private async show(conversation: Conversation): Promise<void> {
    this.openValue = conversation;
    await this.ports.postSnapshot();
    await this.postList();
  }

  private async isListed(id: string): Promise<boolean> {
    return (await this.ports.library.list()).some(item => item.id === id);
  }

  private async loadConversation(id: string): Promise<Conversation | undefined> {
    const data = await this.ports.library.load(id);
    return data ? new Conversation(data) : undefined;
  }
}
