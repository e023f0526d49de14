// The gate view and the consignment timeline: tests/web/test_gate.sh runs it.
'use strict';
const { execFileSync } = require('node:child_process');
const { ok, open, go, shot, main, BASE } = require('./browser.cjs');

const { CARRIER, OPERATOR, ID1, ID2, SLOT } = process.env;

// Bounded wait for FN (in the page) to hold; false when it never did.
async function until(page, fn, arg, ms = 20000) {
	try {
		await page.waitForFunction(fn, arg, { timeout: ms, polling: 250 });
		return true;
	} catch {
		return false;
	}
}

main(async (browser) => {
	const page = await open(browser, { token: OPERATOR, lang: 'en' });
	await go(page, '#/gate/huu-nghi');
	await page.waitForSelector('#queue-empty');
	// The gate itself comes in its own requests, beside the queue's: wait for its hours.
	ok(await until(page, () => !!document.querySelector('#windows'), null), 'the gate\'s hours load');
	ok(await page.locator('h1').textContent() === 'Huu Nghi – Youyiguan', 'the gate is named');
	ok(await page.locator('#hours-title').isVisible(), 'today\'s hours are shown');
	const hours = await page.locator('#hours-title').locator('..').textContent();
	ok(/Asia|UTC\+07:00/.test(hours) && hours.includes('UTC+08:00'), 'both sides\' offsets', hours.slice(0, 200));
	// The slots come in their own request, after the queue: wait for them.
	await page.waitForSelector('.fill-row', { timeout: 15000 }).catch(() => {});
	ok(await page.locator('.fill-row').count() >= 2, 'slot fill for the next days');
	ok(await page.locator('#change-btn').isVisible() && await page.locator('#call-btn').isVisible(), 'an operator gets the call and change forms');

	// Check-in through the API while the page is open.
	await page.evaluate(() => { window.__noReload = true; });
	const out = execFileSync('curl', ['-s', '--max-time', '10', '-X', 'POST', '-H', `Authorization: Bearer ${CARRIER}`,
		`${BASE}/v1/consignments/${ID1}/check-in`], { encoding: 'utf8' });
	ok(out.includes('"state":"waiting"'), 'curl checks the first load in', out);
	const appeared = await until(page, (id) => !!document.querySelector(`#queue-table tr[data-consignment="${id}"]`), ID1);
	ok(appeared, 'the vehicle appears in the yard without a reload');
	if (appeared) {
		const row = await page.locator(`#queue-table tr[data-consignment="${ID1}"]`).textContent();
		ok(row.includes('12C-123.45'), 'its plate is shown', row);
		ok(row.includes('Dragon fruit') || row.includes('dragon fruit') || row.includes('Pitahaya'), 'its commodity by name', row);
		ok(/\d+ d \d+ h/.test(row), 'its time to spoilage', row);
	}
	ok(await page.evaluate(() => window.__noReload === true), 'the page was not reloaded');
	ok(await until(page, () => !!document.querySelector('#activity li[data-kind="consignment.checked_in"]'), null, 10000), 'the check-in is among the recent events');
	ok((await page.locator('#activity li[data-kind="consignment.checked_in"]').textContent()).includes('12C-123.45'), 'with the plate');
	ok(await page.locator('#activity li[data-kind="consignment.booked"]').count() === 1, 'and so is its booking');
	await shot(page, 'gate-queue');

	// A closure over the booked slot, posted from the page.
	const from = SLOT.slice(0, 16);
	const to = new Date(Date.parse(SLOT) + 24 * 3600 * 1000).toISOString().slice(0, 16);
	await page.selectOption('#change-kind', 'closure');
	await page.fill('#change-from', from);
	await page.fill('#change-to', to);
	await page.fill('#change-note', 'flooding on the approach road');
	await page.click('#change-btn');
	const moved = await until(page, () => !!document.querySelector('#moved-table'), null);
	ok(moved, 'the rebooking result is shown');
	if (moved) {
		const table = await page.locator('#moved-table').textContent();
		ok(table.includes(ID1) && table.includes(ID2), 'both bookings of the closed slot were moved', table);
	}
	ok(await until(page, () => document.querySelector('#changes-title').parentElement.textContent.includes('flooding on the approach road'), null, 10000), 'the closure is listed among the posted changes');
	ok(await until(page, () => /Closure .*Moved \(2\)/.test(document.querySelector('#activity').textContent), null, 5000), 'and in the recent events');
	ok(await until(page, () => !!document.querySelector('#activity li[data-kind="booking.moved"]'), null, 10000), 'with the move of the waiting vehicle');
	await shot(page, 'gate-closure');

	// On the map, Huu Nghi now holds one vehicle that will not cross before
	// tomorrow's slot: a wait over 6 hours, congested; the other gates are clear.
	await page.click('#nav a[href="#/map"]');
	const red = await until(page, () => {
		const m = document.querySelector('svg.border-map a.gate-marker[data-gate="huu-nghi"]');
		return m && m.classList.contains('lvl-jammed');
	}, null);
	ok(red, 'the map colours Huu Nghi as congested (one vehicle, waiting past 6 h)');
	ok(await page.locator('table.gates tr[data-gate="huu-nghi"] .q-count').textContent() === '1', 'the list counts its vehicle');
	ok(/\d+ h|\d+ d/.test(await page.locator('table.gates tr[data-gate="huu-nghi"] .q-wait').textContent()), 'and its expected wait');
	ok(await page.locator('svg.border-map a.gate-marker.lvl-clear').count() === 16, 'the 16 other gates are clear');
	await shot(page, 'map-after-closure');
	await page.goBack();
	await page.waitForSelector('#call-btn');

	// Without a reason the call is made inside the hours, or refused
	// naming the next window in both local times; with one, at any hour.
	await page.fill('#call-count', '1');
	await page.click('#call-btn');
	ok(await until(page, () => /Called \d+|Next window: .*\(VN, UTC\+07:00\).*\(CN, UTC\+08:00\)/.test(document.querySelector('#call-result').textContent), null, 10000), 'calling forward answers what it called, or the next window', await page.locator('#call-result').textContent());
	await page.fill('#call-reason', 'perishable load, agreed by both sides');
	await page.click('#call-btn');
	ok(await until(page, () => /Called \d+/.test(document.querySelector('#call-result').textContent), null, 10000), 'with a stated reason the call is made');
	ok(page.errors.length === 0, 'no script errors', page.errors.join(' | '));
	await page.context().close();

	// The carrier: no operator forms, and its consignment's timeline.
	const cp = await open(browser, { token: CARRIER, lang: 'en' });
	await go(cp, '#/gate/huu-nghi');
	await cp.waitForSelector('#queue-table, #queue-empty');
	ok(await cp.locator('#change-btn').count() === 0, 'a carrier gets no operator forms');
	await go(cp, '#/consignment');
	await cp.fill('#cons-id', ID1);
	await cp.press('#cons-id', 'Enter');
	await cp.waitForSelector('#timeline');
	const kinds = await cp.locator('#timeline li').evaluateAll((els) => els.map((e) => e.dataset.kind));
	for (const k of ['consignment.declared', 'consignment.validated', 'consignment.booked', 'consignment.checked_in', 'booking.moved'])
		ok(kinds.includes(k), `the timeline has ${k}`, kinds.join(','));
	const st = await cp.locator('#cons-state').textContent();
	ok(st === 'Waiting' || st === 'Called', 'the consignment is waiting or called', st);
	ok(await cp.locator('.stepper li.current').textContent() === st, 'the lifecycle marks where it stands');
	await shot(cp, 'consignment-timeline');
	ok(cp.errors.length === 0, 'no script errors', cp.errors.join(' | '));
});
