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
              title: vscode.l10n.t('Comet: Set API Key for {0}', origin),
              prompt: vscode.l10n.t("The key of {0} (comet.baseUrl). It is stored in VS Code's SecretStorage and sent only to this origin.", origin) + (isLoopbackOrigin(origin) ? vscode.l10n.t(' A server on this machine usually needs none.') : ''),
              password: true,
              ignoreFocusOut: true,
              validateInput: input => (input.trim() ? undefined : vscode.l10n.t('The key cannot be empty')),
            });
      if (!value?.trim()) return;
      await keys.set(origin, value);
      void vscode.window.showInformationMessage(vscode.l10n.t('Comet: API key for {0} saved in SecretStorage.', origin));
    },
    clearApiKey: async () => {
      const origin = originOf(config.baseUrl());
      await keys.forget(origin);
      void vscode.window.showInformationMessage(vscode.l10n.t('Comet: API key for {0} removed.', origin));
    },
    forgetApiKey: async (origin?: unknown) => {
      const stored = keys.storedOrigins();
      const target =
        typeof origin === 'string' ? origin : await vscode.window.showQuickPick(stored, { title: vscode.l10n.t('Comet: Forget a Stored API Key'), placeHolder: stored.length ? vscode.l10n.t('Endpoints with a stored key') : vscode.l10n.t('No key is stored') });
      if (!target || !stored.includes(target)) return;
      await keys.forget(target);
      void vscode.window.showInformationMessage(vscode.l10n.t('Comet: API key for {0} removed.', target));
    },
    forgetTrustedOrigins: async () => {
      const forgotten = await keys.forgetTrustedOrigins();
      void vscode.window.showInformationMessage(
        forgotten.length ? vscode.l10n.t('Comet: COMETAPI_KEY will no longer go to {0} without asking.', forgotten.join(', ')) : vscode.l10n.t('Comet: no endpoint was trusted with COMETAPI_KEY.'),
      );
    },
  };
}
