// The extension host's heap (after forced GCs) with an empty chat, then with a saved conversation of 1,000 and of
// 10,000 messages switched to, and the webview's element count with each shown.
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import { Conversation } from '../../../src/core/conversation';
import { ConversationStore } from '../../../src/node/conversationStore';
import { findFiles, userDataDir } from '../../integration/helpers';
import { entrySelector, evaluate, waitFor } from '../../integration/webview';
import { newEmptyChat } from './streamRuns';

const HEAP_SIZES = [1000, 10_000];

const gc: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc');
})();

function heapMiB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** A conversation of `messages` entries, half questions and half answers of a few hundred characters. */
function bigConversation(messages: number): Conversation {
  const conversation = new Conversation();
  for (let i = 0; i < messages / 2; i++) {
    conversation.addUser(`Question ${i}: how does part ${i} of the code work?`, `Question ${i}: how does part ${i} of the code work?`);
    const answer = conversation.addAssistant('gpt-5.4-mini');
    const text = `Answer ${i}. ${'It reads the input, checks it and writes the result. '.repeat(6)}\n\n\`\`\`ts\nconst x${i} = ${i};\n\`\`\``;
    Object.assign(answer, { text, state: 'done', usage: { promptTokens: 100 + i, completionTokens: 80 } });
    conversation.setTranscript(answer.id, [{ role: 'assistant', content: text }]);
  }
  return conversation;
}

/** Saves big conversations into the store Comet uses, switches to each (Comet restores it) and reads the host's heap,
 *  then, once the panel shows every entry, its DOM's element count. */
export async function heapWithConversations(): Promise<Array<{ messages: number; jsonMiB: number; heapMiB: number; domNodes: number }>> {
  await newEmptyChat();
  const index = findFiles(path.join(userDataDir(), 'User'), file => /comet\.comet-vscode[\\/]workspaces[\\/][^\\/]+[\\/]conversations[\\/]index\.json$/.test(file))[0];
  if (!index) throw new Error('Comet has no conversation store yet');
  const store = new ConversationStore(path.dirname(index), { warn: message => console.warn(message) });
  const domNodes = () => evaluate<number>('document.getElementsByTagName("*").length');
  const rows = [{ messages: 0, jsonMiB: 0, heapMiB: heapMiB(), domNodes: await domNodes() }];
  try {
    for (const messages of HEAP_SIZES) {
      let conversation: Conversation | undefined = bigConversation(messages);
      const id = conversation.id;
      const jsonMiB = JSON.stringify(conversation.toJSON()).length / 1024 / 1024;
      await store.save(conversation.toJSON(), conversation.summary());
      conversation = undefined;
      // The command resolves once the host has read the conversation and posted it to the panel: the host's heap is
      // what is asked here (the panel's own cost is the webview bench's), so it is read then, not after the panel drew.
      await vscode.commands.executeCommand('comet.switchConversation', id);
      await new Promise(resolve => setTimeout(resolve, 500));
      const heap = heapMiB();
      await waitFor(`the panel to show all ${messages} entries`, () => evaluate<boolean>(`document.querySelectorAll('${entrySelector()}').length === ${messages}`), 120_000);
      rows.push({ messages, jsonMiB, heapMiB: heap, domNodes: await domNodes() });
      console.log(`[bench] heap with ${messages} messages: ${rows.at(-1)!.heapMiB.toFixed(1)} MiB`);
    }
  } finally {
    store.dispose();
  }
  await newEmptyChat();
  return rows;
}
