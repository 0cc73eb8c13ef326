// Every command Comet contributes, by one name each. package.json declares the same ids (a unit test holds the two
// together), and `registerCommands` (./commandRegistry) takes exactly one handler per command, so none is forgotten
// or registered twice.

export const COMMAND = {
  ask: 'comet.ask',
  explainSelection: 'comet.explainSelection',
  newChat: 'comet.newChat',
  stop: 'comet.stop',
  setApiKey: 'comet.setApiKey',
  clearApiKey: 'comet.clearApiKey',
  forgetApiKey: 'comet.forgetApiKey',
  forgetTrustedOrigins: 'comet.forgetTrustedOrigins',
  acceptProposedChange: 'comet.acceptProposedChange',
  discardProposedChange: 'comet.discardProposedChange',
  switchConversation: 'comet.switchConversation',
  renameConversation: 'comet.renameConversation',
  deleteConversation: 'comet.deleteConversation',
  exportConversation: 'comet.exportConversation',
  selectModel: 'comet.selectModel',
  attachImage: 'comet.attachImage',
  resetLearnedModelRules: 'comet.resetLearnedModelRules',
  condenseConversation: 'comet.condenseConversation',
  reviewSelection: 'comet.reviewSelection',
  reviewFile: 'comet.reviewFile',
  clearReview: 'comet.clearReview',
  applyReviewFix: 'comet.applyReviewFix',
  askAboutFinding: 'comet.askAboutFinding',
  fixWithComet: 'comet.fixWithComet',
  attachContext: 'comet.attachContext',
  attachFile: 'comet.attachFile',
  attachProblems: 'comet.attachProblems',
  attachChanges: 'comet.attachChanges',
  chooseEndpoint: 'comet.chooseEndpoint',
  showLogs: 'comet.showLogs',
} as const;

export type CommandName = keyof typeof COMMAND;
export type CommandHandlers = { [K in CommandName]: (...args: unknown[]) => unknown };

/** The chat view's own focus command, which VS Code derives from the view id. */
export const FOCUS_CHAT_COMMAND = 'comet.chatView.focus';

// The other ids package.json contributes. Here, with the commands, so the small entry bundle (src/extension.ts)
// registers them without loading the modules that implement them.
/** The chat view (package.json `views`). */
export const CHAT_VIEW_ID = 'comet.chatView';
/** The Language Model Chat Provider's vendor (package.json `languageModelChatProviders`). */
export const NATIVE_VENDOR = 'comet';
/** `@comet` in VS Code's chat (package.json `chatParticipants`). */
export const PARTICIPANT_ID = 'comet.participant';
