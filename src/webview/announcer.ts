// What a screen reader hears: one polite status line per change of state (answering, done, stopped, error), never
// each streamed delta. The conversation itself is not a live region, so growing text is silent.
import * as l10n from '@vscode/l10n';
import type { ChatEntry } from '../shared/protocol';

const MAX_SPOKEN = 400;

export class Announcer {
  private lastSaid = new Map<string, string>();

  constructor(private readonly region: HTMLElement) {}

  say(text: string): void {
    // A new text node each time: readers speak a changed status even when the words repeat.
    this.region.textContent = '';
    this.region.append(document.createTextNode(text));
  }

  /** Announces an entry once per state it reaches. */
  entry(entry: ChatEntry): void {
    const spoken = describe(entry);
    if (!spoken || this.lastSaid.get(entry.id) === spoken) return;
    this.lastSaid.set(entry.id, spoken);
    this.say(spoken);
  }

  reset(): void {
    this.lastSaid.clear();
  }
}

function describe(entry: ChatEntry): string | undefined {
  if (entry.kind === 'error') return `Error: ${entry.message}`;
  if (entry.kind !== 'assistant') return undefined;
  const text = entry.text.length > MAX_SPOKEN ? `${entry.text.slice(0, MAX_SPOKEN)}…` : entry.text;
  switch (entry.state) {
    case 'streaming': return l10n.t('Comet is answering…');
    case 'done': return l10n.t('Comet answered: {0}', text);
    case 'stopped': return l10n.t('Answer stopped.');
    case 'error': return l10n.t('The answer failed.');
  }
}
