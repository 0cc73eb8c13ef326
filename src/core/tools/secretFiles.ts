// The files the tools never read, list or show, whatever the user's settings say: where common tools keep
// credentials in a project or a home folder. Matched case-insensitively. A pattern without `/` matches a file name at
// any depth; `**/dir/**` matches everything under a folder of that name at any depth.
export const SECRET_FILES: readonly string[] = [
  // env files under every common name
  '.env', '.env.*', '*.env', '.envrc', '.flaskenv', '.dev.vars', '.secrets', 'secrets.json', 'secrets.yml', 'secrets.yaml',
  'secrets.toml', '**/.streamlit/secrets.toml',
  // cloud CLIs
  '**/.aws/**', '**/.azure/**', '**/.config/gcloud/**', 'application_default_credentials.json', 'credentials.json',
  'client_secret*.json', '.boto', '.s3cfg', '.passwd-s3fs', '**/.oci/**', '**/.config/doctl/**', '**/.config/hcloud/**',
  '**/.config/gh/hosts.yml', '**/.config/hub', '.vault-token',
  // container registries and Kubernetes
  '**/.docker/config.json', '.dockercfg', '**/.config/containers/auth.json', '**/.kube/**', 'kubeconfig', '*.kubeconfig',
  'kubeconfig.*',
  // package registries of every ecosystem
  '.npmrc', '.yarnrc', '.yarnrc.yml', '.pypirc', 'pip.conf', '**/.gem/credentials', '**/.cargo/credentials',
  '**/.cargo/credentials.toml', '**/.m2/settings.xml', 'settings-security.xml', '**/.gradle/gradle.properties',
  'nuget.config', 'auth.json', '**/.bundle/config', 'pub-credentials.json', '**/.pub-cache/credentials.json',
  '**/.config/pip/**', '.composer/auth.json',
  // infrastructure as code: variables and state
  '*.tfvars', '*.tfvars.json', '*.tfstate', '*.tfstate.*', '**/.terraform/**', '.terraformrc', 'terraform.rc',
  'credentials.tfrc.json', '**/.pulumi/**', 'Pulumi.*.yaml',
  // SSH and GPG keys, certificate and key stores
  'id_rsa*', 'id_dsa*', 'id_ecdsa*', 'id_ed25519*', '**/.ssh/**', '*.ppk', '**/.gnupg/**', '*.gpg', '*.pgp', 'secring.*',
  '*.pem', '*.key', '*.p8', '*.p12', '*.pfx', '*.pkcs12', '*.jks', '*.keystore', '*.bks', '*.truststore',
  // netrc, database password files, service-account JSON
  '.netrc', '_netrc', '.pgpass', '.my.cnf', '.mylogin.cnf', '*service-account*.json', '*service_account*.json',
  '*serviceaccount*.json', '*firebase-adminsdk*.json', '.htpasswd',
  // local cloud-function settings
  'local.settings.json', '.runtimeconfig.json', '.secret.local',
  // password databases and git credential stores
  '*.kdbx', '*.kdb', '*.1pif', '*.opvault', '*.psafe3', '.git-credentials', '**/.config/git/credentials',
  '.git/**', '**/.git/**',
];
