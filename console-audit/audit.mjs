// Lighthouse (accessibility and best practices) and axe-core over every console page of a running Token Ledger,
// signed in as an administrator, in Debian's Chromium. Started by console-audit/run, which says what it needs.
//
// Fails (exit 1) when a Lighthouse score is under the minimum or axe-core finds any violation; writes the scores to
// console-audit/target/audit.json and a Markdown table to console-audit/target/audit.md.
import fs from 'node:fs';
import path from 'node:path';
import {createRequire} from 'node:module';
import puppeteer from 'puppeteer-core';
import lighthouse from 'lighthouse';

const require = createRequire(import.meta.url);
const base = (process.env.TOKENLEDGER_URL || 'http://localhost:18090').replace(/\/$/, '');
const password = process.env.TOKENLEDGER_ADMIN_PASSWORD;
const chromium = process.env.CHROME_PATH || '/usr/bin/chromium';
const minimum = Number(process.env.AUDIT_MIN_SCORE || 95);
const out = path.join(path.dirname(new URL(import.meta.url).pathname), 'target');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

if (!password) {
  console.error('TOKENLEDGER_ADMIN_PASSWORD: the password of the administrator "admin" is needed');
  process.exit(2);
}

async function api(method, url, token, body) {
  const response = await fetch(base + url, {
    method,
    headers: {'Content-Type': 'application/json', ...(token ? {Authorization: 'Bearer ' + token} : {})},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} ${url}: ${response.status} ${text}`);
  }
  return text ? JSON.parse(text) : null;
}

// Something on every page to look at: expiry warnings on (so the embedded SMTP capture gets an e-mail), a user with
// tokens (one expiring soon, one revoked), a webhook, a login session.
async function seed() {
  const admin = (await api('POST', '/api/auth/login', null, {username: 'admin', password})).token;
  await api('PUT', '/api/settings/app-config/' + encodeURIComponent('Enable User Token Expiration Notifications'),
    admin, {value: '30;7;1'});
  const suffix = Math.random().toString(36).slice(2, 8);
  const user = await api('POST', '/api/users', admin, {
    username: 'audit-' + suffix, email: `audit-${suffix}@example.com`, displayName: 'Audit User', role: 'USER',
    password: 'a-long-audit-password-' + suffix,
  });
  const soon = new Date(Date.now() + 5 * 86400000).toISOString();
  const kept = await api('POST', `/api/users/${user.id}/tokens`, admin, {name: 'deploy-' + suffix, expiresAt: soon});
  const gone = await api('POST', `/api/users/${user.id}/tokens`, admin, {name: 'old-ci-' + suffix});
  await api('POST', `/api/tokens/${gone.id}/revoke`, admin, {reason: 'replaced'});
  // An instance that refuses http or private addresses for webhooks (a deployment's default) gets no webhook here,
  // and its webhook page is not audited.
  const webhook = await api('POST', '/api/webhooks', admin,
    {url: 'http://127.0.0.1:9/token-ledger-audit', events: ['token.revoked'], description: 'audit'})
    .catch(error => console.log('no webhook added, its page is not audited: ' + error.message));
  return {userId: user.id, tokenId: kept.id, webhookId: webhook?.id};
}

function pages({userId, tokenId, webhookId}) {
  return [
    '/', '/profile', '/profile/password', '/profile/tokens/new', '/admin/users', `/admin/users/${userId}`,
    `/admin/users/${userId}?tab=sessions`, `/admin/users/${userId}/tokens/new`, `/admin/users/${userId}/disable`,
    '/admin/settings', '/admin/webhooks', ...(webhookId ? [`/admin/webhooks/${webhookId}`] : []), '/admin/mailbox', '/access/tokens', '/access/tokens?kind=TEMPORARY',
    `/access/tokens/${tokenId}/audit`, `/access/tokens/${tokenId}/revoke`, `/access/tokens/${tokenId}/rotate`,
    '/faults', '/faults?status=ACKNOWLEDGED',
  ].map(url => ({url}));
}

// The page's axe-core violations at a desktop's width and at a phone's, with the dialog it can open opened.
async function axe(page, url, open) {
  const found = [];
  for (const viewport of [{width: 1280, height: 900}, {width: 390, height: 844, isMobile: true}]) {
    // set each time: Lighthouse, which ran on this page before, leaves its own emulation behind
    await page.setViewport(viewport);
    await page.goto(base + url, {waitUntil: 'networkidle2'});
    if (open) {
      await page.click(open);
      await page.waitForSelector('dialog[open]', {visible: true});
      await new Promise(resolve => setTimeout(resolve, 500));
    }
    await page.evaluate(axeSource);
    const result = await page.evaluate(() => window.axe.run(document, {resultTypes: ['violations']}));
    found.push(...result.violations.map(v => `${viewport.width} px: ${v.id} (${v.impact}): ${v.help} — `
      + v.nodes.map(n => n.target.join(' ')).join(', ')));
  }
  return found;
}

async function main() {
  const seeded = await seed();
  const browser = await puppeteer.launch({
    executablePath: chromium, headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=en-US', '--window-size=1280,900'],
    defaultViewport: {width: 1280, height: 900},
  });
  const results = [];
  let failed = false;
  try {
    const page = await browser.newPage();
    await page.goto(base + '/login', {waitUntil: 'networkidle2'});
    await page.type('#username', 'admin');
    await page.type('#password', password);
    await Promise.all([page.waitForNavigation({waitUntil: 'networkidle2'}), page.click('button[type=submit]')]);
    if (page.url().includes('/login')) {
      throw new Error('the console login failed');
    }

    const checks = pages(seeded);
    // A refusal page answers 404: Lighthouse audits only pages that answer 2xx, so axe-core alone looks at it.
    checks.push({url: '/admin/users/00000000-0000-4000-8000-000000000000', lighthouse: false,
      label: 'not found'});
    // the confirmation dialogs, opened (axe-core only: Lighthouse audits a page as it loads)
    checks.push({url: '/access/tokens', open: `#token-${seeded.tokenId} button[data-revoke]`, label: 'Revoke dialog'});
    checks.push({url: '/access/tokens', open: `#token-${seeded.tokenId} button[data-confirm=rotate-dialog]`,
      label: 'Rotate dialog'});
    checks.push({url: '/profile', open: '#create-token-button', label: 'Create Token dialog'});
    checks.push({url: `/admin/users/${seeded.userId}`, open: '#user-status-button', label: 'Disable user dialog'});

    // an e-mail the capture holds, as the Mailbox shows it (the expiry warning of the token expiring soon)
    await page.goto(base + '/admin/mailbox', {waitUntil: 'networkidle2'});
    const message = await page.$eval('#mailbox-table tbody a', a => a.getAttribute('href')).catch(() => null);
    if (message) {
      checks.splice(checks.findIndex(c => c.url === '/admin/mailbox') + 1, 0, {url: message, label: 'an e-mail'});
    } else {
      console.log('the Mailbox has no e-mail yet: its message page is not audited');
    }

    for (const check of checks) {
      const shown = check.label === 'an e-mail' ? '/admin/mailbox/{message}'
        : check.url.replace(seeded.userId, '{user}').replace(seeded.tokenId, '{token}')
          .replace(seeded.webhookId || '{webhook}', '{webhook}');
      const name = check.label && check.label !== 'an e-mail' ? `${shown} (${check.label})` : shown;
      const row = {page: name, violations: await axe(page, check.url, check.open)};
      if (!check.open && check.lighthouse !== false) {
        // Lighthouse drives the signed-in browser itself: the session cookie goes along.
        const lh = await lighthouse(base + check.url, {
          output: 'json', logLevel: 'error', onlyCategories: ['accessibility', 'best-practices'],
          disableStorageReset: true,
        }, undefined, page);
        const categories = lh.lhr.categories;
        row.accessibility = Math.round(categories.accessibility.score * 100);
        row.bestPractices = Math.round(categories['best-practices'].score * 100);
        row.failedAudits = Object.values(lh.lhr.audits)
          .filter(a => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative'
            && a.scoreDisplayMode !== 'notApplicable' && a.scoreDisplayMode !== 'manual')
          .map(a => a.id);
        if (lh.lhr.finalDisplayedUrl.includes('/login')) {
          throw new Error(`${check.url}: Lighthouse was sent to the login page`);
        }
      }
      const low = (row.accessibility !== undefined && row.accessibility < minimum)
        || (row.bestPractices !== undefined && row.bestPractices < minimum);
      if (low || row.violations.length > 0) {
        failed = true;
      }
      results.push(row);
      console.log(`${name}: accessibility ${row.accessibility ?? '–'}, best practices ${row.bestPractices ?? '–'}, `
        + `axe-core violations ${row.violations.length}`
        + (row.failedAudits && row.failedAudits.length ? `; audits not passed: ${row.failedAudits.join(', ')}` : ''));
      for (const v of row.violations) {
        console.log('  axe: ' + v);
      }
    }
  } finally {
    await browser.close();
  }

  fs.mkdirSync(out, {recursive: true});
  fs.writeFileSync(path.join(out, 'audit.json'), JSON.stringify(results, null, 2));
  const table = ['| Page | Accessibility | Best practices | axe-core violations |', '| --- | --- | --- | --- |',
    ...results.map(r => `| \`${r.page}\` | ${r.accessibility ?? '–'} | ${r.bestPractices ?? '–'} | ${r.violations.length} |`)];
  fs.writeFileSync(path.join(out, 'audit.md'), table.join('\n') + '\n');
  console.log(failed ? `FAILED: a score under ${minimum} or an axe-core violation (see above)`
    : `passed: every page ${minimum} or more, no axe-core violation`);
  process.exit(failed ? 1 : 0);
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
