// A conversation as a Markdown document: questions as quotes, answers as they were written, tool calls as a list.
import type { ChatEntry } from '../shared/domain';

export function conversationToMarkdown(title: string, entries: readonly ChatEntry[]): string {
  const out = [`# ${title}`, ''];
  for (const entry of entries) {
    if (entry.kind === 'user') {
      out.push('## You', '');
      if (entry.context) out.push(`*Selection: \`${entry.context.path}\` lines ${entry.context.startLine}-${entry.context.endLine}*`, '');
      out.push(...entry.text.split('\n').map(line => `> ${line}`), '');
    } else if (entry.kind === 'assistant') {
      out.push(`## Comet (${entry.model})`, '');
      for (const call of entry.tools ?? []) out.push(`- Tool \`${call.name}\` ${call.args}${call.summary ? `: ${call.summary}` : ''}`);
      if (entry.tools?.length) out.push('');
      if (entry.text) out.push(entry.text, '');
      if (entry.state === 'stopped') out.push('*(stopped)*', '');
      if (entry.interrupted) out.push('*(interrupted)*', '');
    } else {
      out.push(`> **Error:** ${entry.message}`, '');
    }
  }
  return out.join('\n').trimEnd() + '\n';
}
