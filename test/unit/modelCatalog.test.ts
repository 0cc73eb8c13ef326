// The one GET /models cache: one listing serves every caller per endpoint and key, within the TTL; another key or
// base URL is another entry; invalidation forgets everything; failures are kept briefly, and the picker can retry.
import * as assert from 'node:assert/strict';
import { ModelCatalog } from '../../src/core/modelCatalog';
import { ReportedWindows } from '../../src/core/reportedWindows';
import { validateSettings } from '../../src/core/settings';
import type { ModelInfo } from '../../src/llm/models';

function counting(answer: (baseUrl: string, apiKey: string | undefined) => Promise<ModelInfo[]> = async () => [{ id: 'a', contextWindow: 64_000 }]) {
  const calls: Array<[string, string | undefined]> = [];
  return { calls, fetch: (baseUrl: string, apiKey: string | undefined) => (calls.push([baseUrl, apiKey]), answer(baseUrl, apiKey)) };
}

describe('the shared model catalog', () => {
  const url = 'https://api.example.com/v1';

  it('lists once for callers at once and later ones within the TTL', async () => {
    let now = 0;
    const source = counting();
    const catalog = new ModelCatalog(source.fetch, { ttlMs: 1000, now: () => now });
    const [a, b] = await Promise.all([catalog.list(url, 'k1'), catalog.list(`${url}/`, 'k1')]);
    assert.deepEqual(a, b);
    now = 999;
    await catalog.list(url, 'k1');
    assert.equal(source.calls.length, 1);
    now = 1000;
    await catalog.list(url, 'k1');
    assert.equal(source.calls.length, 2, 'past the TTL it lists again');
  });

  it('keeps another key and another base URL apart, and holds no key in its keys', async () => {
    const source = counting();
    const catalog = new ModelCatalog(source.fetch);
    await catalog.list(url, 'k1');
    await catalog.list(url, 'k2');
    await catalog.list(url, undefined);
    await catalog.list('https://api.example.com/other/v1', 'k1');
    assert.equal(source.calls.length, 4);
    const keys = [...(catalog as unknown as { entries: Map<string, unknown> }).entries.keys()];
    assert.ok(keys.every(key => !key.includes('k1') && !key.includes('k2')), keys.join(', '));
  });

  it('forgets everything on invalidate, and does not put back a listing that ends after it', async () => {
    let release: (models: ModelInfo[]) => void = () => undefined;
    const source = counting(() => new Promise(resolve => (release = resolve)));
    const catalog = new ModelCatalog(source.fetch);
    const first = catalog.list(url, 'k');
    catalog.invalidate();
    release([{ id: 'old' }]);
    await first;
    const second = catalog.list(url, 'k');
    release([{ id: 'new' }]);
    assert.deepEqual(await second, [{ id: 'new' }]);
    assert.equal(source.calls.length, 2);
  });

  it('remembers a failure briefly; retryFailed asks again at once', async () => {
    let now = 0;
    let fail = true;
    const source = counting(async () => {
      if (fail) throw new Error('404');
      return [{ id: 'a' }];
    });
    const catalog = new ModelCatalog(source.fetch, { failureTtlMs: 100, now: () => now });
    await assert.rejects(catalog.list(url, 'k'));
    await assert.rejects(catalog.list(url, 'k'));
    assert.equal(source.calls.length, 1, 'the failure is remembered');
    fail = false;
    assert.deepEqual(await catalog.list(url, 'k', { retryFailed: true }), [{ id: 'a' }]);
    assert.equal(source.calls.length, 2);
    fail = true;
    now = 50;
    assert.deepEqual(await catalog.list(url, 'k'), [{ id: 'a' }], 'a success lasts the full TTL');
  });

  it('serves the context-window lookup from the same listing', async () => {
    const source = counting();
    const catalog = new ModelCatalog(source.fetch);
    const settings = validateSettings({ baseUrl: url, model: 'a' });
    assert.ok(settings.ok);
    const windows = new ReportedWindows((s, key) => catalog.list(s.baseUrl, key));
    assert.equal(await windows.windowFor(settings.settings, 'k', 100), 64_000);
    assert.deepEqual((await catalog.list(url, 'k')).map(m => m.id), ['a']);
    assert.equal(source.calls.length, 1, 'one fetch for the lookup and a later listing');
  });
});

describe('the context-window lookup', () => {
  const url = 'https://api.example.com/v1';
  const settingsFor = (model: string) => {
    const settings = validateSettings({ baseUrl: url, model });
    assert.ok(settings.ok);
    return settings.settings;
  };
  /** A listing that ends when the test says so. */
  function slowListing() {
    let finish!: (models: ModelInfo[]) => void;
    let fail!: (error: Error) => void;
    let calls = 0;
    let pending = false;
    const lister = () => {
      calls++;
      pending = true;
      return new Promise<ModelInfo[]>((resolve, reject) => {
        finish = models => ((pending = false), resolve(models));
        fail = error => ((pending = false), reject(error));
      });
    };
    return { lister, finish: (models: ModelInfo[]) => finish(models), fail: (error: Error) => fail(error), calls: () => calls, pending: () => pending };
  }
  const A_WINDOW = [{ id: 'gpt-5.4-mini', contextWindow: 64_000 }];
  /** The lookup's result, or a failure if it waited (for the 3 s a big question may). */
  const settlesSoon = <T>(lookup: Promise<T>) => Promise.race([lookup, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('the lookup waited for the listing')), 100))]);

  it('does not hold a small question for a listing still on its way; the listing serves the next question', async () => {
    const slow = slowListing();
    const catalog = new ModelCatalog(slow.lister);
    const windows = new ReportedWindows((s, key) => catalog.list(s.baseUrl, key));
    const settings = settingsFor('gpt-5.4-mini');
    assert.equal(await settlesSoon(windows.windowFor(settings, 'k', 500)), undefined);
    assert.ok(slow.pending(), 'answered while the listing was still out');
    slow.finish(A_WINDOW);
    assert.equal(await windows.windowFor(settings, 'k', 500), 64_000);
    assert.equal(slow.calls(), 1, 'the listing the first question started served the second');
  });

  it('holds a question big enough for the window to matter until the listing is in', async () => {
    const slow = slowListing();
    const windows = new ReportedWindows(slow.lister);
    const asked = windows.windowFor(settingsFor('gpt-5.4-mini'), 'k', 40_000);
    let answered = false;
    void asked.then(() => (answered = true));
    await new Promise(resolve => setTimeout(resolve, 20));
    assert.equal(answered, false, 'a 40k-token request waits for the endpoint\'s window');
    slow.finish(A_WINDOW);
    assert.equal(await asked, 64_000);
  });

  it('goes on with the window last reported while a newer listing is on its way, however big the question', async () => {
    let now = 0;
    const slow = slowListing();
    const catalog = new ModelCatalog(slow.lister, { ttlMs: 1000, now: () => now });
    const windows = new ReportedWindows((s, key) => catalog.list(s.baseUrl, key));
    const settings = settingsFor('gpt-5.4-mini');
    const first = windows.windowFor(settings, 'k', 40_000);
    slow.finish(A_WINDOW);
    assert.equal(await first, 64_000);
    now = 5000;
    assert.equal(await settlesSoon(windows.windowFor(settings, 'k', 40_000)), 64_000);
    assert.equal(slow.calls(), 2, 'the expired listing is fetched again');
    assert.ok(slow.pending(), 'and the question did not wait for it');
  });

  it('a listing that fails leaves the question without a reported window, and nothing unhandled', async () => {
    const slow = slowListing();
    const windows = new ReportedWindows(slow.lister);
    const settings = settingsFor('gpt-5.4-mini');
    assert.equal(await settlesSoon(windows.windowFor(settings, 'k', 500)), undefined);
    slow.fail(new Error('GET /models: 404'));
    const big = windows.windowFor(settings, 'k', 40_000);
    slow.fail(new Error('GET /models: 404'));
    assert.equal(await big, undefined);
    // A rejection nobody handled would fail the run when the loop next turns.
    await new Promise(resolve => setTimeout(resolve, 10));
  });
});
