// Loaded through extensionTestsPath by the VSIX smoke run: the extension under development is the test-only driver
// in ./driver, and Comet is the copy installed from the VSIX into the run's extensions folder.
import { runMochaIn } from '../integration/index';

export function run(): Promise<void> {
  return runMochaIn(__dirname, 'vsix smoke');
}
