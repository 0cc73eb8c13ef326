// Placeholder until the webview rendering benchmarks land (issue 4).
export async function webviewBench(_report: unknown, _results: unknown): Promise<void> {}
