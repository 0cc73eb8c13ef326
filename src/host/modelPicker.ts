// Comet: Select Model, the panel's model button and the status bar item. The list comes from GET {baseUrl}/models
// through the shared model catalog (one listing per endpoint and key serves the picker, the context-window lookup and
// VS Code's chat); where that fails or does not exist, the user types a model id. The choice goes to comet.model.
import * as vscode from 'vscode';
import { Disposable } from '../core/disposable';
import { redactSecrets } from '../core/redact';
import type { ModelCatalog } from '../core/modelCatalog';
import { COMMAND, type CommandHandlers } from './commandIds';
import type { CometConfig } from './config';
import type { KeyStore } from './keyStore';

const TYPE_ID = vscode.l10n.t('$(edit) Type a model id…');

export class ModelPicker extends Disposable {
  private readonly statusItem = this._register(vscode.window.createStatusBarItem('comet.model', vscode.StatusBarAlignment.Right, 100));
  private busy = false;

  /** `onDidChangeModel` hears of every change of comet.model, from the picker or from the settings. */
  constructor(
    private readonly config: CometConfig,
    private readonly keys: KeyStore,
    private readonly catalog: ModelCatalog,
    private readonly log: vscode.LogOutputChannel,
    onDidChangeModel: (model: string) => void,
  ) {
    super();
    this.statusItem.name = vscode.l10n.t('Comet Model');
    this.statusItem.command = COMMAND.selectModel;
    this.refreshStatus();
    this.statusItem.show();
    this._register(
      vscode.workspace.onDidChangeConfiguration(event => {
        if (!event.affectsConfiguration('comet.model')) return;
        this.refreshStatus();
        onDidChangeModel(this.currentModel());
      }),
    );
  }

  readonly commands: Pick<CommandHandlers, 'selectModel'> = { selectModel: () => this.pick() };

  /** Shows progress in the status bar while an answer streams. */
  setBusy(busy: boolean): void {
    this.busy = busy;
    this.refreshStatus();
  }

  refreshStatus(): void {
    const model = this.currentModel();
    this.statusItem.text = `${this.busy ? '$(loading~spin)' : '$(sparkle)'} ${model}`;
    this.statusItem.tooltip = this.busy ? vscode.l10n.t('Comet is answering with {0} (click to change the model)', model) : vscode.l10n.t('Comet model: {0} (click to change)', model);
  }

  currentModel(): string {
    const settings = this.config.readSettings();
    return settings.ok ? settings.settings.model : String(vscode.workspace.getConfiguration('comet').get('model'));
  }

  /** The picker; resolves to the chosen id (already saved), or undefined when dismissed. */
  async pick(): Promise<string | undefined> {
    const current = this.currentModel();
    let models: string[] | undefined;
    let failure: string | undefined;
    try {
      models = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Comet: loading models') },
        () => this.models(),
      );
    } catch (error) {
      failure = redactSecrets(error instanceof Error ? error.message : String(error), await this.keyFor(this.config.baseUrl()));
      this.log.warn(`could not list models: ${failure}`);
    }
    let chosen: string | undefined;
    if (models?.length) {
      const items: vscode.QuickPickItem[] = [
        ...models.map(id => ({ label: id, description: id === current ? 'current' : undefined, picked: id === current })),
        { label: '', kind: vscode.QuickPickItemKind.Separator },
        { label: TYPE_ID },
      ];
      const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Comet: Select Model'), placeHolder: vscode.l10n.t('Current: {0}', current), matchOnDescription: true });
      if (!picked) return undefined;
      chosen = picked.label === TYPE_ID ? await this.typeModel(current) : picked.label;
    } else {
      chosen = await this.typeModel(current, failure ? vscode.l10n.t('The server did not list its models ({0}).', failure) : vscode.l10n.t('The server listed no models.'));
    }
    if (!chosen?.trim()) return undefined;
    await this.save(chosen.trim());
    return chosen.trim();
  }

  private async models(): Promise<string[]> {
    const settings = this.config.readSettings();
    if (!settings.ok) throw new Error(`${settings.problems[0].setting} ${settings.problems[0].message}`);
    const { baseUrl } = settings.settings;
    // Listing asks nobody: the environment key goes only where it is already allowed. Someone is waiting for this
    // list, so a listing that failed a moment ago is tried again.
    const models = await this.catalog.list(baseUrl, await this.keyFor(baseUrl), { retryFailed: true });
    return models.map(model => model.id);
  }

  private async keyFor(baseUrl: string): Promise<string | undefined> {
    const credentials = await this.keys.credentials(baseUrl, false);
    return credentials.kind === 'key' ? credentials.apiKey : undefined;
  }

  private typeModel(current: string, why?: string): Thenable<string | undefined> {
    return vscode.window.showInputBox({
      title: vscode.l10n.t('Comet: Select Model'),
      prompt: `${why ? `${why} ` : ''}${vscode.l10n.t('Type the model id to use.')}`,
      value: current,
      ignoreFocusOut: true,
      validateInput: value => (value.trim() ? undefined : vscode.l10n.t('The model id cannot be empty')),
    });
  }

  // Write where the setting is defined, so a workspace value is not silently shadowing the choice.
  private async save(model: string): Promise<void> {
    const section = vscode.workspace.getConfiguration('comet');
    const inspected = section.inspect<string>('model');
    const target = inspected?.workspaceFolderValue !== undefined ? vscode.ConfigurationTarget.WorkspaceFolder
      : inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
    await section.update('model', model, target);
  }
}
