// Drives the reviewer console's case page in a real Chromium (Debian's, through playwright-core) for the launcher's
// CaseReviewIT, which prepares the product and a case (a submission with a liveness check, waiting for a reviewer)
// and asserts on what this script saw. Input: environment variables (see below). Output: one JSON object on stdout.
import { chromium } from 'playwright-core';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`case-e2e: ${name} is not set`);
  return v;
};
const base = env('CONSOLE_URL'); // https://localhost:PORT/console/
const adminKey = env('CONSOLE_ADMIN_KEY');
const caseId = env('CONSOLE_CASE_ID');
const outDir = env('CONSOLE_OUT_DIR');
const executablePath = process.env.CONSOLE_CHROMIUM || '/usr/bin/chromium';
mkdirSync(outDir, { recursive: true });

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const seen = { csp: [], axe: {} };

async function axe(page, name) {
  // Evaluated through the DevTools protocol, not as a <script>: the page's CSP stays as it is.
  await page.evaluate(axeSource);
  seen.axe[name] = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help }));
  });
}

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
try {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.csp.push(m.text());
  });
  await page.goto(base);
  await page.getByLabel('Admin API key').fill(adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Cases to review' }).waitFor();

  // The case page, straight from its address.
  await page.goto(`${base}#/case/${caseId}`);
  await page.getByRole('heading', { name: `Case ${caseId}` }).waitFor();
  await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
  await page.locator('table.liveness').waitFor();
  await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete));
  seen.images = await page.locator('.faces img').evaluateAll((imgs) =>
    imgs.filter((i) => !i.closest('figure').hidden).map((i) => ({ alt: i.alt, width: i.naturalWidth })));
  seen.faceScore = await page.getByTestId('face-score').innerText();
  seen.faceThreshold = await page.getByTestId('face-threshold').innerText();
  seen.livenessRows = await page.locator('table.liveness tbody tr').allInnerTexts();
  seen.submissionDocument = await page.locator('section[data-source="submission"]').count();
  seen.differingFields = await page.locator('section[data-source="submission"] tr.differs th').allInnerTexts()
    .then((t) => t.join(', '));
  await page.screenshot({ path: `${outDir}/case-review.png`, fullPage: true });
  await axe(page, 'case');
  // A tablet held upright: nothing wider than the screen.
  await page.setViewportSize({ width: 800, height: 1180 });
  seen.tabletOverflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  await page.setViewportSize({ width: 1280, height: 800 });

  // Request resubmission: its own outcome, with a remark for the user.
  await page.getByLabel('Request resubmission').check();
  await page.getByTestId('resubmit-hint').waitFor();
  await page.getByLabel('Remark (required)').fill('Please photograph the passport again, without glare');
  await page.getByRole('button', { name: 'Record decision' }).click();
  await page.getByRole('status').waitFor();
  seen.decisionNotice = await page.getByRole('status').innerText();
  await page.locator('table.audit').getByText('Please photograph the passport again').waitFor();
  seen.caseStatus = await page.getByTestId('case-status').innerText();
  seen.waitingBecause = await page.getByTestId('waiting-because').innerText();
  seen.auditRows = await page.locator('table.audit tbody tr').allInnerTexts();
  await axe(page, 'case-decided');
  seen.csp.push(...(await page.evaluate(() => window.__csp.slice())));
  await context.close();
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(seen) + '\n');
