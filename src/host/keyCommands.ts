// Set, clear and forget API keys. A key is always for one endpoint origin: the one in effect, unless the user picks
// another from those with a stored key.
import * as vscode from 'vscode';
import { isLoopbackOrigin, originOf } from '../core/credentials';
import type { CommandHandlers } from './commandIds';
import type { CometConfig } from './config';
import type { KeyStore } from './keyStore';

export function keyCommands(keys: KeyStore, config: CometConfig): Pick<CommandHandlers, 'setApiKey' | 'clearApiKey' | 'forgetApiKey' | 'forgetTrustedOrigins'> {
  return {
    setApiKey: async (key?: unknown) => {
      const origin = originOf(config.baseUrl());
      const value =
        typeof key === 'string'
          ? key
          : await vscode.window.showInputBox({
              title: `Comet: Set API Key for ${origin}`,
              prompt: `The key of ${origin} (comet.baseUrl). It is stored in VS Code's SecretStorage and sent only to this origin.${isLoopbackOrigin(origin) ? ' A server on this machine usually needs none.' : ''}`,
              password: true,
              ignoreFocusOut: true,
              validateInput: input => (input.trim() ? undefined : 'The key cannot be empty'),
            });
      if (!value?.trim()) return;
      await keys.set(origin, value);
      void vscode.window.showInformationMessage(`Comet: API key for ${origin} saved in SecretStorage.`);
    },
    clearApiKey: async () => {
      const origin = originOf(config.baseUrl());
      await keys.forget(origin);
      void vscode.window.showInformationMessage(`Comet: API key for ${origin} removed.`);
    },
    forgetApiKey: async (origin?: unknown) => {
      const stored = keys.storedOrigins();
      const target =
        typeof origin === 'string' ? origin : await vscode.window.showQuickPick(stored, { title: 'Comet: Forget a Stored API Key', placeHolder: stored.length ? 'Endpoints with a stored key' : 'No key is stored' });
      if (!target || !stored.includes(target)) return;
      await keys.forget(target);
      void vscode.window.showInformationMessage(`Comet: API key for ${target} removed.`);
    },
    forgetTrustedOrigins: async () => {
      const forgotten = await keys.forgetTrustedOrigins();
      void vscode.window.showInformationMessage(
        forgotten.length ? `Comet: COMETAPI_KEY will no longer go to ${forgotten.join(', ')} without asking.` : 'Comet: no endpoint was trusted with COMETAPI_KEY.',
      );
    },
  };
}
