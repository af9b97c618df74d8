// Drives the reviewer console's queue in a real Chromium (Debian's, through playwright-core) for the launcher's
// ConsoleIT: filters by unmet rule and screening result, and pages forward and back by cursor. Input:
// environment variables (see below). Output: one JSON object on stdout with what a reviewer saw.
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`queue-e2e: ${name} is not set`);
  return v;
};
const base = env('CONSOLE_URL'); // https://localhost:PORT/console/
const adminKey = env('CONSOLE_ADMIN_KEY');
const userId = env('CONSOLE_USER_ID'); // 21 incomplete cases, 2 of them rejected by a reviewer
const outDir = env('CONSOLE_OUT_DIR');
const executablePath = process.env.CONSOLE_CHROMIUM || '/usr/bin/chromium';
mkdirSync(outDir, { recursive: true });

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const seen = { axe: {} };

async function axe(page, name) {
  await page.evaluate(axeSource);
  seen.axe[name] = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
  });
}

const caption = (page) => page.locator('table.queue caption');
const ids = (page) => page.locator('table.queue tbody td:first-child a').allInnerTexts();

async function apply(page, { status, rule, screening }) {
  await page.getByLabel('Status', { exact: true }).selectOption(status);
  await page.getByLabel('Waiting because').selectOption(rule);
  await page.getByLabel('Screening').selectOption(screening);
  await page.getByLabel('User id').fill(userId);
  await page.getByRole('button', { name: 'Apply filters' }).click();
}

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
try {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(base);
  await page.getByLabel('Admin API key').fill(adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Cases to review' }).waitFor();

  // The cases waiting because a reviewer rejected them, never screened, of any status.
  seen.ruleOptions = await page.getByLabel('Waiting because').locator('option').allInnerTexts();
  seen.screeningOptions = await page.getByLabel('Screening').locator('option').allInnerTexts();
  await apply(page, { status: '', rule: 'rejected_by_reviewer', screening: 'none' });
  await caption(page).filter({ hasText: /^2 cases/ }).waitFor();
  seen.filteredRows = await page.locator('table.queue tbody tr').count();
  seen.filteredStatuses = await page.locator('table.queue tbody .badge').allInnerTexts();
  seen.rejectedCount = await page.locator('[data-count="rejected"]').innerText();
  await page.screenshot({ path: `${outDir}/queue-filters.png`, fullPage: true });
  await axe(page, 'queue-filters');

  // All 21 cases of the user, whatever their status, reason or screening: a page of 20, then a page of 1.
  await apply(page, { status: '', rule: '', screening: '' });
  await caption(page).filter({ hasText: /^21 cases, page 1 of 2/ }).waitFor();
  seen.page1 = await ids(page);
  await page.getByRole('button', { name: 'Next page' }).click();
  await caption(page).filter({ hasText: /page 2 of 2/ }).waitFor();
  seen.page2 = await ids(page);
  seen.nextDisabledOnLast = await page.getByRole('button', { name: 'Next page' }).isDisabled();
  seen.countedAt = await page.getByTestId('counted-at').innerText();
  await page.getByRole('button', { name: 'Previous page' }).click();
  await caption(page).filter({ hasText: /page 1 of 2/ }).waitFor();
  seen.page1Again = await ids(page);
  seen.previousDisabledOnFirst = await page.getByRole('button', { name: 'Previous page' }).isDisabled();
  await axe(page, 'queue-pages');
  await context.close();
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(seen) + '\n');
