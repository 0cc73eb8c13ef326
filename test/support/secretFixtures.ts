// Fifty files where common tools keep credentials, in a project or a home folder, some in unusual case. Each holds
// a token of its own, so a test can tell that none of them reached a tool result. Shared by the unit and the
// integration tests of the secret-file list.
export const SECRET_PATHS: readonly string[] = [
  '.env', '.env.production', 'config/.ENV.local', 'app.env', '.envrc', '.dev.vars', 'deploy/secrets.yaml',
  '.aws/credentials', '.aws/config', '.azure/accessTokens.json', '.config/gcloud/application_default_credentials.json',
  'keys/gcp-service-account.json', 'client_secret_123.json', '.s3cfg', '.boto',
  '.docker/config.json', '.dockercfg', '.kube/config', 'cluster.kubeconfig', 'ops/kubeconfig',
  '.npmrc', '.yarnrc.yml', '.pypirc', 'pip.conf', '.gem/credentials', '.cargo/credentials.toml', '.m2/settings.xml',
  'auth.json', 'NuGet.Config',
  'infra/prod.tfvars', 'infra/terraform.tfstate', 'infra/terraform.tfstate.backup', '.terraformrc', 'infra/.terraform/providers.txt',
  '.ssh/id_ed25519', 'id_rsa', 'deploy/ID_RSA.pub', '.gnupg/secring.gpg', 'certs/server.PEM', 'certs/tls.key',
  'certs/store.p12', 'android/release.jks', 'certs/app.pfx',
  '.netrc', '.pgpass', '.my.cnf', 'functions/local.settings.json', 'vault.kdbx', '.git-credentials', '.git/config',
];

/** The token in each secret file: one the tests search for and must never see. */
export function secretToken(index: number): string {
  return `SECRETTOKEN${String(index).padStart(2, '0')}`;
}
