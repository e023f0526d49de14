// The border map: tests/web/test_map.sh runs it.
'use strict';
const { ok, open, go, shot, main } = require('./browser.cjs');

main(async (browser) => {
	const gates = Number(process.env.GATES);

	// Without a token: every gate, all neutral, and a note saying why.
	let page = await open(browser, { lang: 'en' });
	await go(page, '#/map');
	await page.waitForSelector('svg.border-map a.gate-marker');
	ok(await page.locator('svg.border-map a.gate-marker').count() === gates, `the map shows every gate (${gates})`);
	ok(await page.locator('table.gates tbody tr').count() === gates, 'the list beside it has every gate');
	ok(await page.locator('svg.border-map path.land').count() >= 2, 'country shapes are drawn');
	ok(await page.locator('svg.border-map path.border-line').count() === 1, 'the Vietnam–China border is drawn');
	ok(await page.locator('svg.border-map a.gate-marker.lvl-unknown').count() === gates, 'without a token every gate is neutral');
	ok(await page.locator('#map-note').isVisible(), 'a note says a token is needed for the queues');
	const ids = await page.locator('svg.border-map a.gate-marker').evaluateAll((els) => els.map((e) => e.dataset.gate));
	ok(ids.includes('huu-nghi') && ids.includes('lao-cai-rail') && ids.includes('a-pa-chai'), 'markers carry the gate ids', ids.join(','));
	ok(await page.locator('table.gates').getByText('Huu Nghi – Youyiguan').count() === 1, 'English names by default');
	await shot(page, 'map-no-token');
	ok(page.errors.length === 0, 'no script errors', page.errors.join(' | '));
	await page.context().close();

	// With a planner's token the gates take their queue's colour.
	page = await open(browser, { token: process.env.PLANNER, lang: 'en' });
	await go(page, '#/map');
	await page.waitForFunction((n) => document.querySelectorAll('svg.border-map a.gate-marker.lvl-clear').length === n, gates, { timeout: 20000 });
	ok(true, 'with a token every gate is coloured (an empty yard is clear)');
	ok(await page.locator('#map-note').count() === 0, 'and the note is gone');
	ok((await page.locator('#who').textContent()).includes('plan-office'), 'the token button names the party');
	ok(await page.locator('table.gates tbody tr[data-gate="huu-nghi"] .q-count').textContent() === '0', 'the list counts the waiting vehicles');
	await shot(page, 'map-en');

	// The language switch changes the gate names without a reload.
	await page.evaluate(() => { window.__noReload = true; });
	await page.selectOption('#lang', 'zh');
	await page.waitForSelector('table.gates >> text=友谊关');
	ok(true, 'Chinese: Huu Nghi is 友谊关');
	ok(await page.locator('h1').textContent() === '中越边境口岸', 'Chinese page title');
	ok(await page.locator('svg.border-map a.gate-marker[data-gate="huu-nghi"]').getAttribute('aria-label').then((l) => l.startsWith('友谊关')), 'the marker is named in Chinese too');
	await shot(page, 'map-zh');
	await page.selectOption('#lang', 'vi');
	await page.waitForSelector('table.gates >> text=Hữu Nghị – Hữu Nghị Quan');
	ok(true, 'Vietnamese: Hữu Nghị – Hữu Nghị Quan');
	ok(await page.locator('#nav a').first().textContent() === 'Bản đồ biên giới', 'the menu is in Vietnamese');
	ok(await page.evaluate(() => window.__noReload === true), 'the switch did not reload the page');
	await shot(page, 'map-vi');
	await page.reload();
	await page.waitForSelector('table.gates >> text=Hữu Nghị – Hữu Nghị Quan');
	ok(await page.locator('#lang').inputValue() === 'vi', 'the language is remembered');
	ok(page.errors.length === 0, 'no script errors', page.errors.join(' | '));
});
