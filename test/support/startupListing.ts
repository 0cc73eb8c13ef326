// The models the harness's endpoint lists in the VS Code-chat startup run (runCodeServerTests.ts starts it, with
// comet.baseUrl set in settings.json on disk before each window load; test/integration/vscodeChat.models-*.test.ts
// expect them, and change them through the server's test-only route between loads).
export const STARTUP_MODELS = {
  first: ['startup-model-a', 'startup-model-b'],
  /** Set while the second load still holds the first list from memory; listed once the panel loads the bundle. */
  afterThePanel: ['after-the-panel-model'],
  /** Set in the third load before a setting changes; listed because that change makes the remembered list stale. */
  afterASetting: ['after-a-setting-model-a', 'after-a-setting-model-b'],
};

/** Written on disk before the fourth load, with the same comet.baseUrl: the remembered limits are no longer right. */
export const RESIZED = { model: STARTUP_MODELS.afterASetting[0], contextWindow: 65_536 };
