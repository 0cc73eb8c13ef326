// The models the harness's endpoint lists in the VS Code-chat startup run (runCodeServerTests.ts starts it, with
// comet.baseUrl set in settings.json on disk before each window load; test/integration/vscodeChat.models-*.test.ts
// expect them).
export const STARTUP_MODELS = ['startup-model-a', 'startup-model-b'];
