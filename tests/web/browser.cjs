// Shared by the dashboard's browser scripts: Debian's chromium driven by
// playwright-core, headless and on loopback only, with TAP-like output and
// bounded waits. BASE (the server) and SHOTS (where screenshots go) come
// from tests/web/lib.sh.
'use strict';
const { chromium } = require('playwright-core');
const fs = require('node:fs');
const path = require('node:path');

const BASE = process.env.BASE;
const SHOTS = process.env.SHOTS;
let failures = 0;

function ok(cond, name, detail) {
	if (cond) {
		console.log(`ok - ${name}`);
	} else {
		failures++;
		console.log(`not ok - ${name}${detail !== undefined ? ` (${detail})` : ''}`);
	}
	return cond;
}

async function launch() {
	if (!BASE || !/^http:\/\/127\.0\.0\.1:\d+$/.test(BASE))
		throw new Error(`BASE must be a loopback address, not ${BASE}`);
	// playwright starts chromium with a new empty profile of its own.
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		timeout: 60000,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
	});
	const close = () => browser.close();
	return { browser, close };
}

// A page at VIEWPORT with TOKEN and LANG set before the dashboard starts;
// any request off loopback is refused, and page errors are collected.
async function open(browser, { token = '', lang = 'en', width = 1280, height = 900 } = {}) {
	const context = await browser.newContext({ viewport: { width, height }, locale: 'en-GB' });
	await context.addInitScript(([tok, lg]) => {
		if (location.protocol !== 'http:')
			return;
		if (!sessionStorage.getItem('bf-test-init')) {
			sessionStorage.setItem('bf-test-init', '1');
			if (tok)
				localStorage.setItem('borderflow.token', tok);
			else
				localStorage.removeItem('borderflow.token');
			localStorage.setItem('borderflow.lang', lg);
		}
	}, [token, lang]);
	await context.route('**/*', (route) => {
		const u = new URL(route.request().url());
		if (u.protocol === 'data:' || u.hostname === '127.0.0.1')
			return route.continue();
		return route.abort();
	});
	const page = await context.newPage();
	record(page);
	page.errors = [];
	page.on('pageerror', (e) => page.errors.push(String(e)));
	page.on('console', (m) => {
		if (m.type() === 'error' && !/Failed to load resource/.test(m.text()))
			page.errors.push(m.text());
	});
	page.setDefaultTimeout(20000);
	return page;
}

// With BF_CONTRACT_DIR set (ctest sets it), each answer the page gets
// from the server is appended as one JSON line to a file of this process
// there, for the contract test (tests/contract/).
function record(page) {
	const dir = process.env.BF_CONTRACT_DIR;
	if (!dir)
		return;
	const file = path.join(dir, `web-${process.pid}.jsonl`);
	page.on('response', async (res) => {
		const u = new URL(res.url());
		if (`${u.protocol}//${u.host}` !== BASE)
			return;
		let body = '';
		try {
			body = await res.text();
		} catch {
			return; // gone with its page
		}
		const line = JSON.stringify({
			method: res.request().method(), path: u.pathname + u.search, status: res.status(),
			content_type: res.headers()['content-type'] || '', body, from: `web/${path.basename(process.argv[1])}`,
			backend: 'sqlite',
		});
		fs.mkdirSync(dir, { recursive: true });
		fs.appendFileSync(file, `${line}\n`);
	});
}

async function go(page, hash) {
	await page.goto(`${BASE}/${hash}`, { waitUntil: 'load' });
	await page.waitForSelector('body[data-ready="true"]', { timeout: 20000 });
}

async function shot(page, name) {
	const file = path.join(SHOTS, `${name}.png`);
	await page.screenshot({ path: file, fullPage: true });
	console.log(`screenshot ${file}`);
}

// No horizontal scroll: the page is no wider than its viewport.
async function fitsWidth(page) {
	return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
}

// Presses Tab N times from where focus is; returns a description of each
// focused element: tag#id|label|href.
async function tabStops(page, n) {
	const seen = [];
	for (let i = 0; i < n; i++) {
		await page.keyboard.press('Tab');
		seen.push(await page.evaluate(() => {
			const e = document.activeElement;
			if (!e || e === document.body)
				return '';
			const label = e.getAttribute('aria-label') || (e.labels && e.labels[0] && e.labels[0].textContent) || e.textContent || '';
			return `${e.tagName.toLowerCase()}#${e.id}|${label.trim().slice(0, 60)}|${e.getAttribute('href') || ''}`;
		}));
	}
	return seen;
}

async function main(body) {
	let env;
	try {
		env = await launch();
		await body(env.browser);
	} catch (e) {
		ok(false, 'the browser script ran without an exception', e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e);
	} finally {
		if (env)
			await env.close();
	}
	process.exit(failures ? 1 : 0);
}

module.exports = { ok, open, go, shot, fitsWidth, tabStops, main, BASE };
