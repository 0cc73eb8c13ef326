// The one way Comet registers and runs its commands: by name, from the table in ./commandIds.
import * as vscode from 'vscode';
import { COMMAND, type CommandHandlers, type CommandName } from './commandIds';

export function registerCommands(handlers: CommandHandlers): vscode.Disposable[] {
  return (Object.keys(COMMAND) as CommandName[]).map(name => vscode.commands.registerCommand(COMMAND[name], handlers[name]));
}

/** Runs one of Comet's commands by name (buttons in the webview reuse the commands the palette runs). */
export function runCommand(name: CommandName, ...args: unknown[]): Thenable<unknown> {
  return vscode.commands.executeCommand(COMMAND[name], ...args);
}
