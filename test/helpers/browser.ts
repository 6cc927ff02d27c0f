/**
 * Browser tests: Debian's Chromium driven by playwright-core, the real reference host on an ephemeral
 * 127.0.0.1 port, and screenshots of every step under test-artifacts/screenshots/<path>/NN-step.png.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'chai';
import { makeWorld, type RealTimeWorld, type WorldOptions } from './harness';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve(__dirname, '..', '..', 'test-artifacts', 'screenshots');

/** Generous: a 2-core CI machine runs Chromium, Node and MariaDB at once. */
export const STEP_TIMEOUT = 30_000;

export const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } as const;
export const DESKTOP = { viewport: { width: 1280, height: 800 } } as const;

/**
 * Fails (never skips) without Chromium: CI installs it, so its absence is a broken machine.
 * launch() gives every browser a fresh temporary profile (user-data dir) and removes it on close.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: the browser tests need Debian's package (apt-get install -y chromium; .ci/run installs it)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    timeout: 60_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
  });
}

export async function newContext(browser: Browser, size: typeof PHONE | typeof DESKTOP): Promise<BrowserContext> {
  const context = await browser.newContext({ ...size, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  context.setDefaultTimeout(STEP_TIMEOUT);
  context.setDefaultNavigationTimeout(STEP_TIMEOUT);
  return context;
}

export interface LiveHost {
  world: RealTimeWorld;
  baseUrl: string;
  close(): Promise<void>;
}

/** makeWorld on the real clock (cookies and the browser live in real time), served over real HTTP. */
export async function startHost(opts: Omit<WorldOptions, 'fakeClock' | 'now'> = {}): Promise<LiveHost> {
  const world = await makeWorld({ ...opts, fakeClock: false });
  const server = http.createServer(world.host.app);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
  } catch (err) {
    await world.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  return {
    world,
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await world.close();
    },
  };
}

let announced = false;

/** Numbered full-page screenshots of one path; the folder starts empty on every run. */
export class Shots {
  private n = 0;
  readonly dir: string;

  constructor(pathName: string) {
    this.dir = path.join(SCREENSHOTS, pathName);
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.mkdirSync(this.dir, { recursive: true });
    if (!announced) {
      announced = true;
      console.log(`      browser screenshots: ${SCREENSHOTS}`);
    }
  }

  private readonly pages = new Set<Page>();

  async take(page: Page, step: string): Promise<string> {
    this.pages.add(page);
    this.n += 1;
    const file = path.join(this.dir, `${String(this.n).padStart(2, '0')}-${step}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  }

  /** After a failure: where every page of this path was left, to see why. */
  async failed(): Promise<void> {
    let i = 0;
    for (const page of this.pages) {
      i += 1;
      if (!page.isClosed()) await page.screenshot({ path: path.join(this.dir, `failed-${i}.png`), fullPage: true }).catch(() => undefined);
    }
  }
}

/** Signs in through the host's real /login page with a demo account's button. */
export async function signInAs(page: Page, baseUrl: string, employeeId: string, next = '/'): Promise<void> {
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
  await clickAndWait(page, page.locator(`form[action="/login"]:has(input[name="id"][value="${employeeId}"]) button[type="submit"]`));
  await page.waitForSelector('header.topbar .who');
}

/** Signs in as any employee: search the login page by id, then press that person's button. */
export async function signInBySearch(page: Page, baseUrl: string, employeeId: string, next = '/'): Promise<void> {
  await page.goto(`${baseUrl}/login?next=${encodeURIComponent(next)}`);
  await page.locator('form[action="/login"][method="get"] input[name="q"]').fill(employeeId);
  await clickAndWait(page, page.locator('form[action="/login"][method="get"] button[type="submit"]'));
  await clickAndWait(page, page.locator(`form[action="/login"]:has(input[name="id"][value="${employeeId}"]) button[type="submit"]`));
  await page.waitForSelector('header.topbar .who');
}

/** Clicks something that navigates (a link or a form's submit) and waits until the next page has loaded. */
export async function clickAndWait(page: Page, target: ReturnType<Page['locator']>): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), target.click()]);
}

/** A phone page must not scroll sideways: wide tables scroll inside their own box. */
export async function expectNoHorizontalOverflow(page: Page, width = 375): Promise<void> {
  const { scrollWidth, url } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, url: location.pathname }));
  expect(scrollWidth, `${url} is ${scrollWidth}px wide at ${width}px`).to.be.at.most(width);
}

/** The names of the top menu bar's tabs as the user sees them. */
export async function menuTabs(page: Page): Promise<string[]> {
  return (await page.locator('header.topbar nav a').allInnerTexts()).map((s) => s.trim());
}

/**
 * Script errors, CSP violations, 5xx answers and stylesheets, scripts or images that did not load, so a
 * test can show a page loaded cleanly. The browser's own favicon request is not the pages' business.
 */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    // "Failed to load resource" repeats what the response listener reports with the URL.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`console: ${msg.text()}`);
  });
  page.on('response', (res) => {
    const sub = res.request().resourceType() !== 'document';
    if (res.status() >= 500 || (sub && res.status() >= 400 && !res.url().endsWith('/favicon.ico')))
      problems.push(`${res.status()} ${res.url()}`);
  });
  page.on('requestfailed', (req) => problems.push(`failed: ${req.url()} ${req.failure()?.errorText ?? ''}`));
  return problems;
}

/**
 * Chinese text must be drawn with a font that has the glyphs (without one Chromium draws boxes, and
 * nothing else notices). Asks Chromium which platform fonts rendered the element's text.
 */
export async function expectCjkFont(page: Page, selector: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    expect(nodeId, `no element ${selector}`).to.be.above(0);
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    const names = fonts.map((f) => f.familyName);
    expect(
      names.some((n) => /CJK|Hei|Song|Kai|Ming|WenQuanYi|Fallback|PingFang|YaHei/i.test(n)),
      `${selector} is drawn with ${names.join(', ') || 'no font'}: install fonts-noto-cjk`,
    ).to.equal(true);
  } finally {
    await cdp.detach();
  }
}

export interface BrowserSuite {
  readonly browser: Browser;
  readonly live: LiveHost;
  /** Starts this test's screenshot folder; a failing test also leaves a `failed-N.png` there. */
  shots(name: string): Shots;
}

/**
 * The hooks every browser describe needs: one Chromium and one live reference host for the block,
 * an extra screenshot when a test fails, and both closed afterwards. `prepare` seeds what the block needs.
 */
export function browserSuite(hostOpts: Parameters<typeof startHost>[0], prepare?: (live: LiveHost) => Promise<void>): BrowserSuite {
  let browser: Browser | undefined;
  let live: LiveHost | undefined;
  let current: Shots | undefined;
  before(async () => {
    browser = await launchBrowser();
    live = await startHost(hostOpts);
    if (prepare) await prepare(live);
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await current?.failed();
  });
  after(async () => {
    await browser?.close();
    await live?.close();
  });
  return {
    get browser() {
      return browser!;
    },
    get live() {
      return live!;
    },
    shots(name) {
      current = new Shots(name);
      return current;
    },
  };
}
