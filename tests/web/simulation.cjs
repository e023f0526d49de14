// The simulation view: tests/web/test_simulation.sh runs it.
'use strict';
const { ok, open, go, shot, main } = require('./browser.cjs');

main(async (browser) => {
	// A carrier sees the form but may not run it.
	const cp = await open(browser, { token: process.env.CARRIER, lang: 'en' });
	await go(cp, '#/simulation');
	await cp.waitForSelector('#sim-form');
	ok(await cp.locator('#sim-run-btn').isDisabled(), 'a carrier may not run a simulation');
	await cp.context().close();

	const page = await open(browser, { token: process.env.PLANNER, lang: 'en' });
	await go(page, '#/simulation');
	await page.waitForSelector('#sim-form');
	ok(await page.locator('#sim-scenario option[value="lang-son-2021"]').count() === 1, 'the bundled scenario is offered');
	const policies = await page.locator('#sim-form input[name="policy"]').evaluateAll((els) => els.map((e) => e.value));
	ok(policies.includes('baseline') && policies.includes('longer-hours') && policies.length >= 5, 'its policies are offered', policies.join(','));
	// Two policies, two replications (so that there are intervals).
	for (const p of policies) {
		if (['baseline', 'longer-hours'].includes(p))
			await page.check(`#pol-${p}`);
		else
			await page.uncheck(`#pol-${p}`);
	}
	await page.fill('#sim-reps', '2');
	await page.fill('#sim-seed', '7');
	await page.click('#sim-run-btn');
	await page.waitForSelector('#sim-progress', { timeout: 20000 });
	ok(true, 'progress is shown once it runs');
	const total = await page.locator('#sim-progress').getAttribute('max');
	ok(total === '4', 'four runs in all (2 policies × 2 replications)', total);
	try {
		await page.waitForSelector('#sim-status[data-status="done"]', { timeout: 180000 });
		ok(true, 'the simulation finishes');
	} catch {
		ok(false, 'the simulation finishes', await page.locator('#sim-run').textContent());
		return;
	}
	await page.waitForSelector('#chart-wait svg');
	ok(true, 'the waiting-time chart appears');
	ok(await page.locator('#chart-wait rect.bar').count() === 8, 'mean, p50, p90 and p99 for each of the 2 policies');
	ok(await page.locator('#chart-queue path.line').count() === 2, 'one queue line a policy');
	const days = await page.locator('#chart-queue path.line').first().getAttribute('d');
	ok(days.split('L').length === 60, 'over the 60 days of the season', days.split('L').length);
	ok(await page.locator('#chart-spoiled rect.bar').count() === 2, 'spoiled value a policy');
	ok(await page.locator('#chart-spoiled path.whisker').count() === 2, 'each with its 95% interval');
	ok(await page.locator('#chart-wait path.whisker').count() === 2, 'and the mean waits with theirs');
	ok(await page.locator('#sim-table tbody tr').count() === 2, 'and the figures in a table');
	await shot(page, 'simulation-all');
	// Per gate.
	await page.selectOption('#sim-gate', 'huu-nghi');
	await page.waitForFunction(() => document.querySelectorAll('#chart-wait rect.bar').length === 8);
	ok((await page.locator('#sim-gate option:checked').textContent()) === 'Huu Nghi – Youyiguan', 'a gate is chosen by its name');
	await page.selectOption('#lang', 'zh');
	await page.waitForSelector('#chart-wait svg');
	ok(await page.locator('#sim-gate option[value="huu-nghi"]').textContent() === '友谊关口岸', 'after the switch the gates are named in Chinese, the result kept');
	await shot(page, 'simulation-zh');
	ok(page.errors.length === 0, 'no script errors', page.errors.join(' | '));
});
