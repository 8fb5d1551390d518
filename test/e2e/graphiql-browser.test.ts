// GraphiQL in a real browser (Debian's headless Chromium driven by playwright-core, no browser
// download): the page loads offline from the gateway (every request stays on the gateway's origin),
// runs a query from a shared `?query=` link, keeps the link in step with the editor, and shows the
// events of a subscription as the simulator drives a grandmaster loss. Skipped with the reason when
// Chromium is absent (`.ci/run` installs Debian's chromium).
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestStack, subgraphHealth, type TestStack } from '../helpers/stack.js';
import { waitUntil } from '../helpers/wait.js';
import { describeIf } from '../helpers/skip.js';

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const missing = existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_BIN; .ci/run installs it)`;
const describeInBrowser = describeIf(missing, 'the GraphiQL browser test');

// As this machine's probe starts it: no sandbox as root, and no background calls to Google's hosts.
const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** The text of one of GraphiQL's CodeMirror editors. */
const editorText = (page: Page, selector: string) =>
  page.evaluate((sel) => (document.querySelector(`${sel} .CodeMirror`) as unknown as { CodeMirror?: { getValue(): string } } | null)?.CodeMirror?.getValue() ?? null, selector);

describeInBrowser('GraphiQL in Chromium', () => {
  let stack: TestStack;
  let browser: Browser;
  let origin: string;
  const requested: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ settings: { pollIntervalMs: 100 } });
    origin = new URL(stack.gatewayUrl).origin;
    // playwright gives the browser a new empty profile of its own.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function open(url: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('request', (r) => requested.push(r.url()));
    page.on('websocket', (w) => requested.push(w.url()));
    await page.goto(url);
    await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 30_000 });
    return page;
  }

  it('opens a shared ?query= link offline and runs it', async () => {
    const query = '{ clusters(labels: [{ key: "role", value: "edge" }]) { name } }';
    const page = await open(`${origin}/?query=${encodeURIComponent(query)}`);
    expect(await editorText(page, '.graphiql-query-editor')).toBe(query);
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(() => /du-012/.test((document.querySelector('.graphiql-response .CodeMirror') as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue()), undefined, { timeout: 30_000 });
    const answer = JSON.parse((await editorText(page, '.graphiql-response'))!) as { data: { clusters: { name: string }[] } };
    expect(answer.data.clusters.map((c) => c.name)).toEqual(Array.from({ length: 12 }, (_, i) => `du-${String(i + 1).padStart(3, '0')}`));
    // Offline: GraphiQL, React and the fonts all came from the gateway itself.
    expect(requested.filter((u) => !u.startsWith(origin) && !u.startsWith(origin.replace('http', 'ws')) && !u.startsWith('data:'))).toEqual([]);
    await page.close();
  });

  it('keeps the address a link to what the editor holds', async () => {
    const page = await open(`${origin}/`);
    const edited = '{ cluster(name: "du-002") { name platform } }';
    await page.evaluate((text) => (document.querySelector('.graphiql-query-editor .CodeMirror') as unknown as { CodeMirror: { setValue(v: string): void } }).CodeMirror.setValue(text), edited);
    await page.waitForFunction((text) => new URL(location.href).searchParams.get('query') === text, edited, { timeout: 10_000 });
    const shared = page.url();
    await page.close();
    const again = await open(shared);
    expect(await editorText(again, '.graphiql-query-editor')).toBe(edited);
    await again.close();
  });

  it('shows subscription events as they happen', async () => {
    const subscription = 'subscription { ptpClockStateChanged(cluster: "du-003", states: [HOLDOVER, FREERUN]) { currentState node { name } } }';
    const page = await open(`${origin}/?query=${encodeURIComponent(subscription)}`);
    await page.click('.graphiql-execute-button');
    // The page's WebSocket reached the gateway, the timing subgraph holds the subscription and its feed
    // has a baseline; then the grandmaster goes away.
    await waitUntil('the subscription and the feed baseline', async () => {
      const h = await subgraphHealth<{ feeds: Record<string, { polls: number }> }>(stack, 'timing');
      return h.subscriptions === 1 && (h.feeds['du-003']?.polls ?? 0) >= 1;
    }, 30_000);
    expect(requested.some((u) => u.startsWith(origin.replace('http', 'ws')))).toBe(true);
    await stack.control('POST', '/scenarios/ptp-gm-loss', { cluster: 'du-003', timeScale: 10, recoverAfterSeconds: 60 });
    await page.waitForFunction(() => /HOLDOVER|FREERUN/.test((document.querySelector('.graphiql-response .CodeMirror') as unknown as { CodeMirror: { getValue(): string } }).CodeMirror.getValue()), undefined, { timeout: 30_000 });
    const event = JSON.parse((await editorText(page, '.graphiql-response'))!) as { data: { ptpClockStateChanged: { currentState: string; node: { name: string } } } };
    expect(['HOLDOVER', 'FREERUN']).toContain(event.data.ptpClockStateChanged.currentState);
    expect(event.data.ptpClockStateChanged.node.name).toBe('du-003-sno');
    await page.close();
  });
});
