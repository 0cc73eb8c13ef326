// Loaded by the extension host through extensionTestsPath: runs every *.test.js here with mocha 11 (CommonJS).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as util from 'node:util';
import Mocha = require('mocha');

// The workbench joins forwarded console arguments with spaces instead of formatting them: format them here.
(Mocha.reporters.Base as unknown as { consoleLog: (...args: unknown[]) => void }).consoleLog = (...args) => console.log(util.format(...args));

export function run(): Promise<void> {
  return runMochaIn(__dirname, 'integration');
}

/** Runs the *.test.js files of `dir` (the VSIX smoke suite uses this too). */
export function runMochaIn(dir: string, name: string): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec', grep: process.env.COMET_TEST_GREP || undefined });
  // The runner loads the window once per phase; files named *.<phase>.test.js run in that phase only.
  const phaseFile = process.env.COMET_TEST_PHASE_FILE;
  const phase = phaseFile && fs.existsSync(phaseFile) ? fs.readFileSync(phaseFile, 'utf8').trim() : 'main';
  for (const file of fs.readdirSync(dir).sort()) {
    if (!file.endsWith('.test.js')) continue;
    const filePhase = /\.([a-z-]+)\.test\.js$/.exec(file)?.[1] ?? 'main';
    if (filePhase === phase) mocha.addFile(path.join(dir, file));
  }
  return new Promise((resolve, reject) => {
    // Kept for the runner's closing summary: CI shows only the tail of a long log, where the spec reporter's own
    // list of failures, printed phases earlier, is cut off.
    const failed: FailedTest[] = [];
    const runner = mocha.run(failures => {
      const resultFile = process.env.COMET_TEST_RESULT;
      if (resultFile) {
        fs.writeFileSync(resultFile, JSON.stringify({ failures, passes: runner.stats?.passes ?? 0, tests: runner.stats?.tests ?? 0, failed }));
      }
      // The plain closing line CI reads.
      console.log(`${name} (${phase}): ${runner.stats?.passes ?? 0} passed, ${failures} failed`);
      if (failures > 0) reject(new Error(`${failures} ${name} tests failed`));
      else resolve();
    });
    runner.on('fail', (test: Mocha.Runnable, error: unknown) => {
      if (failed.length < MAX_FAILURES_KEPT) failed.push({ title: test.fullTitle(), error: firstLines(error) });
    });
  });
}

/** What the runner's summary repeats of one failed test. */
export interface FailedTest {
  title: string;
  error: string;
}

const MAX_FAILURES_KEPT = 20;
const MAX_ERROR_LINES = 12;

function firstLines(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return text.split('\n', MAX_ERROR_LINES).join('\n').slice(0, 2000);
}
