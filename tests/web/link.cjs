// The shared-history page: tests/web/test_link.sh runs it.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const { ok, open, go, shot, main } = require('./browser.cjs');

main(async (browser) => {
	// Without a token: a note says one is needed.
	let page = await open(browser, { lang: 'en' });
	await go(page, '#/link');
	await page.waitForSelector('h1');
	ok(await page.locator('p.note').count() === 1, 'without a token a note says one is needed');
	await page.context().close();

	page = await open(browser, { token: process.env.AUDITOR, lang: 'en' });
	await go(page, '#/link');
	await page.waitForSelector('#no-forks');
	ok(await page.locator('#nav a[href="#/link"]').getAttribute('aria-current') === 'page', 'the menu marks the page');
	ok((await page.locator('#link-scope').textContent()).includes('the whole border'), 'a node started alone acts for the whole border');
	ok(await page.locator('#no-disputes').isVisible(), 'no disputed event yet');
	await shot(page, 'link-clean');

	// A fork and a dispute arrive: the page shows them at its next read.
	execFileSync('sqlite3', ['-cmd', '.timeout 5000', process.env.DB], { input: fs.readFileSync(process.env.EVIDENCE) });
	await page.waitForSelector('#fork-table tbody tr', { timeout: 20000 });
	ok(await page.locator('#fork-table tbody tr.open').count() === 1, 'the open fork is listed');
	const row = await page.locator('#fork-table tbody tr').first().textContent();
	ok(row.includes('cn #7') && row.includes('aaaaaaaaaaaa') && row.includes('bbbbbbbbbbbb'), 'with both events\u2019 hashes', row);
	await page.waitForSelector('#dispute-table tbody tr');
	const d = await page.locator('#dispute-table tbody tr').first().textContent();
	ok(d.includes('cn #9') && d.includes('gate.changed') && d.includes('node cn acts for CN'), 'the dispute is listed with its reason', d);
	await shot(page, 'link-evidence');

	await page.selectOption('#lang', 'zh');
	await page.waitForSelector('h1 >> text=双方共同记录');
	ok(true, 'Chinese: the page title');
	ok(await page.locator('#link-forks').textContent().then((x) => x.startsWith('分叉')), 'Chinese: the forks heading');
	await shot(page, 'link-zh');
	ok(page.errors.length === 0, 'no script errors', page.errors.join(' | '));
});
