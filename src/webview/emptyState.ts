// The first thing a new chat shows: what Comet can do, Set API Key (only while no key is set: the one place that says
// so while the chat is empty), Choose Endpoint, and example questions that are sent as they are.
export interface EmptyStateActions {
  setApiKey(): void;
  chooseEndpoint(): void;
  ask(question: string): void;
}

export function wireEmptyState(section: HTMLElement, actions: EmptyStateActions): void {
  section.addEventListener('click', event => {
    const button = (event.target as HTMLElement).closest('button');
    if (!button) return;
    if (button.dataset.action === 'set-api-key') actions.setApiKey();
    else if (button.dataset.action === 'choose-endpoint') actions.chooseEndpoint();
    else if (button.hasAttribute('data-example')) actions.ask(button.textContent ?? '');
  });
}

/** Whether the endpoint in effect lacks a key, for the stylesheet (the empty state and the banner read it). */
export function showKeyStatus(hasApiKey: boolean): void {
  document.body.classList.toggle('no-key', !hasApiKey);
}
