// Phone width and keyboard: tests/web/test_layout.sh runs it.
'use strict';
const { ok, open, go, shot, fitsWidth, tabStops, main } = require('./browser.cjs');

const has = (stops, re) => stops.some((x) => re.test(x));

main(async (browser) => {
	const phone = { width: 375, height: 812 };

	// Every page at 375 px.
	const page = await open(browser, { token: process.env.OPERATOR, lang: 'vi', ...phone });
	for (const [hash, ready, name] of [
		['#/map', 'svg.border-map a.gate-marker', 'phone-map'],
		['#/gate/huu-nghi', '#queue-empty', 'phone-gate'],
		['#/consignment', '#cons-id', 'phone-consignment'],
		['#/simulation', '#sim-form', 'phone-simulation'],
		['#/link', '#no-forks', 'phone-link'],
	]) {
		await go(page, hash);
		await page.waitForSelector(ready);
		await page.waitForTimeout(300);
		ok(await fitsWidth(page), `${hash} fits 375 px without horizontal scroll`,
			await page.evaluate(() => document.documentElement.scrollWidth));
		await shot(page, name);
	}

	// The keyboard alone, from the top of a freshly loaded map.
	await page.goto('about:blank');
	await go(page, '#/map');
	await page.waitForSelector('svg.border-map a.gate-marker');
	let stops = await tabStops(page, 14);
	ok(/^a#\|.*\|#view$/.test(stops[0]), 'the first stop is the skip link', stops[0]);
	ok(has(stops, /\|#\/consignment$/) && has(stops, /\|#\/simulation$/), 'the menu is reached by Tab', stops.join(' ; '));
	ok(has(stops, /^select#lang\|/), 'the language switch is reached by Tab');
	ok(has(stops, /^button#who\|/), 'the token button is reached by Tab');
	ok(has(stops, /\|#\/gate\/[a-z-]+$/), 'the gates on the map are reached by Tab');
	const order = ['a#|', 'select#lang', 'button#who'].map((p) => stops.findIndex((x) => x.startsWith(p)));
	ok(order[0] < order[1] && order[1] < order[2], 'in reading order: skip link, language, token', order.join('<'));

	// Focus is visible: the focused control has an outline.
	await page.focus('#lang');
	await page.keyboard.press('Shift+Tab');
	await page.keyboard.press('Tab');
	const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
	ok(outline !== 'none', 'the focused control is outlined', outline);

	// The token panel by keyboard: open, type, save, close.
	await page.focus('#who');
	await page.keyboard.press('Enter');
	ok(await page.evaluate(() => document.activeElement.id === 'token-input'), 'Enter on the token button opens the panel on its field');
	await page.keyboard.press('Control+A');
	await page.keyboard.type(process.env.PLANNER);
	await page.keyboard.press('Enter');
	await page.waitForFunction(() => document.querySelector('#who').textContent.includes('plan-office'));
	ok(true, 'Enter saves the token; the button names the planner');
	ok((await page.locator('#who-status').textContent()).includes('chạy mô phỏng'), 'the panel says what a planner may do (in Vietnamese)');
	await page.keyboard.press('Escape');
	ok(await page.evaluate(() => document.activeElement.id === 'who' && document.querySelector('#token-panel').hidden), 'Escape closes it and gives focus back');

	// Opening a gate from the list with Enter, then its forms by Tab (as the operator).
	await page.focus('#who');
	await page.keyboard.press('Enter');
	await page.keyboard.press('Control+A');
	await page.keyboard.type(process.env.OPERATOR);
	await page.keyboard.press('Enter');
	await page.waitForFunction(() => document.querySelector('#who').textContent.includes('hn-operator'));
	await page.keyboard.press('Escape');
	await page.focus('table.gates tr[data-gate="huu-nghi"] a');
	await page.keyboard.press('Enter');
	await page.waitForSelector('#change-btn');
	ok(page.url().endsWith('#/gate/huu-nghi'), 'Enter on a gate opens its page');
	// (each part of a date-time field is a stop of its own)
	stops = await tabStops(page, 30);
	for (const id of ['call-count', 'call-btn', 'change-kind', 'change-side', 'change-from', 'change-to', 'change-note', 'change-btn'])
		ok(has(stops, new RegExp(`#${id}\\|`)), `#${id} is reached by Tab`, stops.join(' ; '));
	await shot(page, 'keyboard-gate');

	// The simulation form by Tab.
	await go(page, '#/simulation');
	await page.waitForSelector('#sim-form');
	stops = await tabStops(page, 20);
	for (const id of ['sim-scenario', 'pol-baseline', 'sim-reps', 'sim-seed'])
		ok(has(stops, new RegExp(`#${id}\\|`)), `#${id} is reached by Tab`, stops.join(' ; '));
	ok(page.errors.length === 0, 'no script errors', page.errors.join(' | '));
});
