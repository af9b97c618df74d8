// Drives the reviewer console in a real Chromium (Debian's, through playwright-core) for the launcher's
// ConsoleIT, which prepares the product and the case and asserts on what this script saw. Input: environment
// variables (see below). Output: one JSON object on stdout with what a reviewer saw at each step.
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`console-e2e: ${name} is not set`);
  return v;
};
const base = env('CONSOLE_URL'); // https://localhost:PORT/console/
const adminKey = env('CONSOLE_ADMIN_KEY');
const secondAdminKey = env('CONSOLE_SECOND_ADMIN_KEY');
const clientKey = env('CONSOLE_CLIENT_KEY');
const caseId = env('CONSOLE_CASE_ID');
const userId = env('CONSOLE_USER_ID');
const outDir = env('CONSOLE_OUT_DIR');
const executablePath = process.env.CONSOLE_CHROMIUM || '/usr/bin/chromium';
mkdirSync(outDir, { recursive: true });

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const seen = { csp: [], axe: {}, urls: [] };

async function watch(context) {
  // Counted in the page as the browser reports them; init scripts run outside the page's CSP.
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  context.on('page', (page) => {
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) seen.csp.push(m.text());
    });
    page.on('request', (r) => seen.urls.push(r.url()));
  });
}

async function cspOf(page) {
  return page.evaluate(() => window.__csp.slice());
}

async function axe(page, name) {
  // Evaluated through the DevTools protocol, not as a <script>: the page's CSP stays as it is.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
  });
  seen.axe[name] = result;
}

async function signIn(browser, key) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } });
  await watch(context);
  const page = await context.newPage();
  await page.goto(base);
  await page.getByLabel('Admin API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return { context, page };
}

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
try {
  // A client key is refused at sign-in, with a message saying why.
  {
    const { context, page } = await signIn(browser, clientKey);
    seen.clientKeyMessage = await page.getByRole('alert').innerText();
    await axe(page, 'signin');
    seen.csp.push(...(await cspOf(page)));
    await context.close();
  }

  // The first reviewer: queue, filter, case.
  const one = await signIn(browser, adminKey);
  const page = one.page;
  await page.getByRole('heading', { name: 'Cases to review' }).waitFor();
  seen.cookies = (await one.context.cookies()).map((c) => ({
    name: c.name, path: c.path, httpOnly: c.httpOnly, secure: c.secure, sameSite: c.sameSite,
  }));
  seen.keyInStorage = await page.evaluate((k) =>
    JSON.stringify({ ...localStorage }).includes(k) || JSON.stringify({ ...sessionStorage }).includes(k)
    || document.cookie.includes(k), adminKey);
  await page.getByLabel('Status', { exact: true }).selectOption('pending');
  await page.getByLabel('User id').fill(userId);
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.locator('table.queue tbody tr').first().waitFor();
  await page.getByRole('link', { name: caseId }).waitFor();
  seen.queueRows = await page.locator('table.queue tbody tr').count();
  seen.pendingCount = await page.locator('[data-count="pending"]').innerText();
  await page.screenshot({ path: `${outDir}/queue.png`, fullPage: true });
  await axe(page, 'queue');

  // Keyboard: j moves to the case row, Enter opens it.
  await page.locator('body').press('j');
  await page.getByRole('link', { name: caseId }).click();
  await page.getByRole('heading', { name: `Case ${caseId}` }).waitFor();
  await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
  await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete));
  seen.images = await page.locator('.faces img').evaluateAll((imgs) =>
    imgs.filter((i) => !i.closest('figure').hidden).map((i) => ({ alt: i.alt, width: i.naturalWidth })));
  seen.faceScore = await page.getByTestId('face-score').innerText();
  seen.faceThreshold = await page.getByTestId('face-threshold').innerText();
  seen.attempts = await page.locator('table.attempts tbody tr').allInnerTexts();
  seen.screeningResult = await page.getByTestId('screening-result').innerText();
  seen.reportLink = await page.getByRole('link', { name: 'PDF report' }).count();
  await page.screenshot({ path: `${outDir}/case.png`, fullPage: true });
  await axe(page, 'case');
  // A tablet held upright: nothing wider than the screen.
  await page.setViewportSize({ width: 800, height: 1180 });
  seen.tabletOverflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  await page.screenshot({ path: `${outDir}/case-tablet.png`, fullPage: true });
  await axe(page, 'case-tablet');
  await page.setViewportSize({ width: 1280, height: 800 });

  // A second reviewer opens the same case before the first decides.
  const two = await signIn(browser, secondAdminKey);
  await two.page.goto(`${base}#/case/${caseId}`);
  await two.page.getByRole('heading', { name: `Case ${caseId}` }).waitFor();

  // The first reviewer approves with the keyboard and a remark.
  await page.locator('body').press('a');
  await page.getByLabel('Remark (required)').fill('Portrait and selfie match; documents in order');
  await page.getByRole('button', { name: 'Record decision' }).click();
  await page.getByRole('status').waitFor();
  seen.decisionNotice = await page.getByRole('status').innerText();
  await page.locator('table.audit').getByText('Portrait and selfie match').waitFor();
  seen.caseStatus = await page.getByTestId('case-status').innerText();
  seen.auditRows = await page.locator('table.audit tbody tr').allInnerTexts();
  seen.csp.push(...(await cspOf(page)));

  // The second reviewer's decision was based on the case before the approval: refused.
  await two.page.locator('body').press('r');
  await two.page.getByLabel('Reason').selectOption({ index: 1 });
  await two.page.getByLabel('Remark (required)').fill('Selfie looks different');
  await two.page.getByRole('button', { name: 'Record decision' }).click();
  seen.staleMessage = await two.page.getByRole('alert').innerText();
  seen.csp.push(...(await cspOf(two.page)));

  // Sign-out ends the session on the gateway.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Admin API key').waitFor();
  seen.afterSignOut = (await page.request.get(`${base}api/session`)).status();
  await one.context.close();
  await two.context.close();
} finally {
  await browser.close();
}
seen.keyInUrl = seen.urls.some((u) => u.includes(adminKey) || u.includes(userId));
delete seen.urls;
process.stdout.write(JSON.stringify(seen) + '\n');
