// The dashboard in a real browser: Debian's Chromium driven by playwright-core, a real OpenID
// provider, the real baton service (composed in-process, simulated cloud). A user logs in, picks a
// card, fills the tabs, deploys, watches the status change live (no reload), opens every tab of
// the deployment, scales out by one, removes a chosen machine and deletes it; a generated SSH
// private key is shown once; a form error is announced and focused; the group switcher changes
// what is listed. Each page is saved as a
// screenshot in test-artifacts/dashboard/ (CI keeps the folder). Needs /usr/bin/chromium
// (scripts/test-prereqs.sh installs it).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@lib/config';
import { createAuthKit } from '@lib/auth';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Test support, not a lib's API: the shared test issuer lives with libs/auth's tests.
import { startTestIssuer, type TestIssuer } from '../../../libs/auth/test/support/oidc-provider';
import { oidcEnv, startBaton, type RunningBaton } from '../../../test/e2e/support/baton.harness';
import { startDashboard, type RunningDashboard } from '../src/dashboard.server';

const ROOT = join(__dirname, '../../..');
const SHOTS = join(ROOT, 'test-artifacts/dashboard');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];

let idp: TestIssuer;
let baton: RunningBaton;
let dashboard: RunningDashboard;
let context: BrowserContext;
let page: Page;
let userDataDir: string;
/** Every HTML page the browser was sent: its URL and size in bytes. */
const documents: { url: string; bytes: number }[] = [];

beforeAll(async () => {
  idp = await startTestIssuer();
  baton = await startBaton(oidcEnv(idp));
  const kit = createAuthKit(loadConfig({ BATON_DATA_DIR: 'memory://', ...oidcEnv(idp) }));
  dashboard = await startDashboard({
    listen: { host: '127.0.0.1', port: 0 },
    publicUrl: null,
    apiUrl: baton.url,
    issuer: idp.issuer,
    login: kit.login,
    templatesDir: join(ROOT, 'templates'),
    httpTimeoutMs: 10_000,
    // The built-in simulated cloud's name, as a providers file would list it.
    providers: ['simulator'],
  });
  idp.allowRedirectUri(`${dashboard.url}/auth/callback`);
  mkdirSync(SHOTS, { recursive: true });
  userDataDir = mkdtempSync(join(tmpdir(), 'baton-dashboard-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 1280, height: 900 } });
  page = context.pages()[0] ?? (await context.newPage());
  page.on('response', (res) => {
    if (res.request().resourceType() === 'document' && res.url().startsWith(dashboard.url)) {
      void res.body().then(
        (body) => documents.push({ url: res.url(), bytes: body.length }),
        () => undefined,
      );
    }
  });
}, 300_000);

afterAll(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  await dashboard?.close();
  await baton?.close();
  await idp?.close();
}, 60_000);

/** First contentful paint of each page shot, in ms (reported, not asserted: speed is for benchmarks). */
const paints: { name: string; ms: number }[] = [];

async function shot(name: string): Promise<void> {
  const ms = await page.evaluate<number | null>("(performance.getEntriesByName('first-contentful-paint')[0] || { startTime: null }).startTime");
  if (typeof ms === 'number') paints.push({ name, ms: Math.round(ms) });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** The live status badge's code (data-status), read in the page. */
async function statusOf(): Promise<string> {
  return (await page.locator('h1 + [data-live="status"]').getAttribute('data-status')) ?? '';
}

async function waitForStatus(status: string, timeout = 90_000): Promise<void> {
  await page.locator(`h1 + [data-live="status"][data-status="${status}"]`).waitFor({ timeout });
}

describe('the dashboard in Chromium', () => {
  it('logs in, deploys virtual machines through the tabs, follows them live, scales out, removes a chosen machine, switches groups and deletes', async () => {
    idp.setLoginUser('ann', { name: 'Ann Bassi', groups: ['cms', 'atlas'] });
    await page.goto(`${dashboard.url}/`);
    await shot('01-login');
    await page.getByRole('link', { name: 'Log in' }).click();
    await page.waitForURL(`${dashboard.url}/`);
    await expect(page.getByText('Signed in as')).toBeTruthy();
    expect(await page.locator('#active-group').inputValue()).toBe('cms');
    await shot('02-deployments-empty');

    // SSH keys: a generated pair's private key is shown once, its public key kept.
    await page.getByRole('link', { name: 'SSH keys' }).click();
    await page.getByRole('button', { name: 'Generate a key pair' }).click();
    const privateKey = await page.getByLabel('Private key').inputValue();
    expect(privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    await shot('02b-ssh-key-generated');
    await page.goto(`${dashboard.url}/keys`);
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await page.content()).not.toContain('PRIVATE KEY');

    // The catalogue: cards, and a search that narrows them.
    await page.getByRole('link', { name: 'Catalogue' }).click();
    await shot('03-catalogue');
    const cards = page.locator('[data-card-text]');
    expect(await cards.count()).toBeGreaterThan(5);
    await page.getByLabel('Search the catalogue').fill('iaas');
    expect(await page.locator('[data-card-text]:visible').count()).toBe(1);
    await page.getByRole('link', { name: 'Virtual machines' }).click();

    // The form: the parameters file's tabs and Advanced; labels in words, bounds in the help.
    await page.waitForURL(/\/templates\/virtual-machines$/);
    const tabs = page.getByRole('tab');
    expect(await tabs.allInnerTexts()).toEqual(['Machines', 'Operating system', 'Advanced']);
    expect(await page.getByLabel('Number of machines').getAttribute('max')).toBe('100');
    expect(await page.locator('#h-count').innerText()).toContain('From 1 to 100.');
    await shot('04-deploy-form');

    // A value the compiler refuses: the summary is announced (role=alert) and takes the focus.
    await page.getByLabel('Memory per machine').fill('lots');
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.locator('#error-summary').waitFor();
    expect(await page.locator('#error-summary').getAttribute('role')).toBe('alert');
    expect(await page.evaluate<string>('document.activeElement && document.activeElement.id')).toBe('error-summary');
    expect(await page.locator('#error-summary').innerText()).toContain('Memory per machine');
    expect(await page.getByLabel('Memory per machine').getAttribute('aria-invalid')).toBe('true');
    await shot('05-deploy-form-error');
    // Its link leads to the field, in its tab.
    await page.locator('#error-summary a').first().click();
    expect(await page.evaluate<string>('document.activeElement && document.activeElement.id')).toBe('f-mem_size');

    await page.getByLabel('Memory per machine').fill('1 GB');
    await page.getByRole('tab', { name: 'Operating system' }).click();
    await page.getByLabel('Distribution').selectOption('debian');
    await page.getByRole('tab', { name: 'Advanced' }).click();
    await page.getByLabel('Description').fill('Analysis VMs');
    await page.getByLabel('Cloud provider').selectOption('simulator');
    await page.getByRole('button', { name: 'Deploy' }).click();
    await page.waitForURL(/\/deployments\/[0-9a-f-]{36}$/);
    const url = page.url();
    const id = url.split('/').pop()!;

    // Live: the badge moves from in progress to complete on the same document (no reload).
    const first = await statusOf();
    expect(first).toMatch(/^CREATE_(IN_PROGRESS|COMPLETE)$/);
    await page.evaluate('window.sameDocument = true');
    await shot('06-deployment-in-progress');
    await waitForStatus('CREATE_COMPLETE');
    expect(await page.evaluate<boolean>('window.sameDocument === true')).toBe(true);
    expect(first).toBe('CREATE_IN_PROGRESS');
    expect(await page.locator('h1').innerText()).toBe('Analysis VMs');

    // Every tab.
    for (const tab of ['Overview', 'Inputs', 'Outputs', 'Resources', 'Log', 'Template']) {
      await page.getByRole('link', { name: tab, exact: true }).click();
      await page.waitForURL(`${url}?tab=${tab.toLowerCase()}`);
      await shot(`07-tab-${tab.toLowerCase()}`);
    }
    await page.goto(`${url}?tab=inputs`);
    expect(await page.locator('main table').innerText()).toContain('debian');
    await page.goto(`${url}?tab=outputs`);
    expect(await page.locator('main table').innerText()).toContain('public_addresses');
    await page.goto(`${url}?tab=log`);
    expect((await page.locator('#log-lines').innerText()).length).toBeGreaterThan(0);
    await page.goto(`${url}?tab=template`);
    const sent = await page.locator('main pre').innerText();
    expect(sent).toContain('baton_dashboard_description: Analysis VMs');
    // The provider chosen is a placement policy of the template sent.
    expect(sent).toContain('cloud_id: simulator');
    await page.goto(`${url}?tab=resources`);
    expect(await page.locator('tr[data-resource]').count()).toBe(1);

    // Scale out by one, followed live.
    await page.goto(url);
    await page.getByRole('button', { name: 'Add one vm' }).click();
    await page.waitForURL(/notice=scaled/);
    await waitForStatus('UPDATE_COMPLETE');
    await page.goto(`${url}?tab=resources`);
    const rows = page.locator('tr[data-resource]');
    expect(await rows.count()).toBe(2);
    await shot('08-resources-scaled');

    // Scale in: remove the chosen (second) machine; the other stays.
    const chosen = (await rows.nth(1).getAttribute('data-resource'))!;
    const kept = (await rows.nth(0).getAttribute('data-resource'))!;
    await rows.nth(1).getByRole('button', { name: /^Remove/ }).click();
    await page.waitForURL(/notice=removed/, { timeout: 10_000 }).catch(async () => {
      throw new Error(`no removal: ${page.url()} ${await page.locator('main').innerText()}`);
    });
    await waitForStatus('UPDATE_COMPLETE');
    await page.goto(`${url}?tab=resources`);
    expect(await page.locator('tr[data-resource]').count()).toBe(1);
    expect(await page.locator(`tr[data-resource="${chosen}"]`).count()).toBe(0);
    expect(await page.locator(`tr[data-resource="${kept}"]`).count()).toBe(1);
    await shot('09-resources-after-removal');

    // The list shows it in group cms; the switcher to atlas lists nothing, and back.
    await page.goto(`${dashboard.url}/`);
    expect(await page.locator('main table').innerText()).toContain('Analysis VMs');
    expect(await page.locator('main table').innerText()).toContain('Update complete');
    await shot('10-deployments-list');
    // (The switcher submits itself; the new page is the one that says so.)
    await page.locator('#active-group').selectOption('atlas');
    await page.locator('main table', { hasText: 'No deployments.' }).waitFor();
    expect(await page.locator('#active-group').inputValue()).toBe('atlas');
    await shot('11-deployments-other-group');
    await page.locator('#active-group').selectOption('cms');
    await page.locator('main table', { hasText: 'Analysis VMs' }).waitFor();
    expect(await page.locator('#active-group').inputValue()).toBe('cms');

    // Delete, confirmed; the page follows the deletion live to its end.
    await page.getByRole('link', { name: 'Delete Analysis VMs' }).click();
    await shot('12-delete-confirm');
    await page.getByRole('button', { name: 'Delete the deployment' }).click();
    await page.waitForURL(url);
    await page.getByText('Deployment not found').waitFor({ timeout: 90_000 });
    await page.goto(`${dashboard.url}/`);
    expect(await page.locator('main').innerText()).not.toContain(id);

    // Every page stayed small.
    for (const d of documents) expect(d.bytes, d.url).toBeLessThan(100_000);
    const sizes = documents.map((d) => d.bytes).sort((a, b) => a - b);
    process.stdout.write(
      `dashboard pages: ${sizes.length}, ${sizes[0]}-${sizes[sizes.length - 1]} bytes; first contentful paint ${paints.map((p) => `${p.name} ${p.ms} ms`).join(', ')}\n`,
    );
  }, 300_000);
});
