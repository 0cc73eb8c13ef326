// Attaching workspace images to the next question: a picker of the workspace's images (or a URI dropped on the
// panel), read through workspace.fs and handed to the composer, which shows them as thumbnails until sent.
import * as vscode from 'vscode';
import { imageFromBytes, ImageError } from '../core/images';
import type { HostToWebview } from '../shared/protocol';
import type { CommandHandlers } from './commandIds';

const IMAGE_GLOB = '**/*.{png,jpg,jpeg,gif,webp,PNG,JPG,JPEG,GIF,WEBP}';

export class ImageAttachments {
  constructor(private readonly post: (message: HostToWebview) => void, private readonly reveal: () => Thenable<unknown>) {}

  /** Comet: Attach Image, with an optional URI (the explorer, tests). */
  readonly commands: Pick<CommandHandlers, 'attachImage'> = {
    attachImage: (uri?: unknown) => this.attach(uri instanceof vscode.Uri ? uri : undefined),
  };

  async attach(uri?: vscode.Uri): Promise<void> {
    const target = uri ?? (await this.pick());
    if (!target) return;
    // Only workspace files: a URI from the webview or another extension could name any file, and saying whether it
    // exists would already tell too much.
    if (!vscode.workspace.getWorkspaceFolder(target)) {
      this.post({ type: 'composerNotice', message: vscode.l10n.t('Only images from the workspace can be attached this way; paste the image instead.') });
      return;
    }
    await this.reveal();
    const name = target.path.split('/').pop() ?? 'image';
    try {
      this.post({ type: 'imageAttached', image: imageFromBytes(name, await vscode.workspace.fs.readFile(target)) });
    } catch (error) {
      const message = error instanceof ImageError ? error.message : vscode.l10n.t('Could not read {0}: {1}', name, error instanceof Error ? error.message : String(error));
      this.post({ type: 'composerNotice', message });
    }
  }

  async attachDropped(uri: string): Promise<void> {
    try {
      await this.attach(vscode.Uri.parse(uri, true));
    } catch {
      this.post({ type: 'composerNotice', message: vscode.l10n.t('That file could not be attached.') });
    }
  }

  private async pick(): Promise<vscode.Uri | undefined> {
    const files = await vscode.workspace.findFiles(IMAGE_GLOB, '**/node_modules/**', 500);
    if (!files.length) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Comet: there are no PNG, JPEG, GIF or WebP images in this workspace. Paste or drop one on the chat instead.'));
      return undefined;
    }
    const items = files
      .map(uri => ({ uri, label: vscode.workspace.asRelativePath(uri) }))
      .sort((a, b) => a.label.localeCompare(b.label));
    return (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Comet: Attach Image'), placeHolder: vscode.l10n.t('An image from the workspace') }))?.uri;
  }
}
