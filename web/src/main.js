// The dashboard: a single page with hash routes (#/map, #/gate/ID,
// #/consignment/ID, #/simulation, #/link), a language switch and the token that says
// who is looking, on every page.
import './style.css';
import { api, token, setToken } from './api.js';
import { h, clear } from './dom.js';
import { t, setLang, lang } from './i18n.js';
import { renderMap } from './map.js';
import { renderGate } from './gate.js';
import { renderConsignment } from './consignment.js';
import { renderSimulation } from './simulation.js';
import { renderLink } from './link.js';

const LANG_KEY = 'borderflow.lang';

// What every view shares: who is looking, and the reference data.
const ctx = {
	who: null, // GET /v1/whoami, or null without a (valid) token
	whoError: '',
	commodities: new Map(),
	refresh: () => route(),
};

// What each role may do, by the routes the API gives it.
const abilities = {
	carrier: ['can_declare', 'can_read_queue', 'can_read_consignments'],
	export_authority: ['can_decide', 'can_read_queue', 'can_read_consignments'],
	import_authority: ['can_decide', 'can_read_queue', 'can_read_consignments'],
	gate_operator: ['can_call', 'can_read_queue', 'can_read_consignments'],
	planner: ['can_simulate', 'can_read_queue', 'can_read_consignments'],
	registry_authority: ['can_registry'],
	auditor: ['can_audit', 'can_read_queue', 'can_read_consignments'],
};

async function loadWho() {
	ctx.who = null;
	ctx.whoError = '';
	if (!token())
		return;
	try {
		ctx.who = await api('/v1/whoami');
	} catch (e) {
		ctx.whoError = e.status === 401 ? t('token_bad') : e.message;
	}
}

function renderWho() {
	const btn = document.getElementById('who');
	btn.textContent = ctx.who ? `${ctx.who.party} · ${t('role_' + ctx.who.role)}` : t('who_none');
	btn.classList.toggle('has-token', !!ctx.who);
	const panel = document.getElementById('token-panel');
	clear(panel);
	const input = h('input#token-input', {
		type: 'password',
		autocomplete: 'off',
		spellcheck: 'false',
		value: token(),
		'aria-describedby': 'token-help',
	});
	const form = h('form.token-form', {
		onsubmit: async (ev) => {
			ev.preventDefault();
			setToken(input.value.trim());
			await loadWho();
			renderWho();
			route();
			document.getElementById('token-input').focus();
		},
	},
	h('label', { for: 'token-input' }, t('token_label')),
	h('div.row', input,
		h('button.primary', { type: 'submit' }, t('save')),
		h('button', {
			type: 'button',
			onclick: async () => {
				setToken('');
				await loadWho();
				renderWho();
				route();
				document.getElementById('token-input').focus();
			},
		}, t('clear'))),
	h('p.help#token-help', t('token_help')));
	let status;
	if (ctx.who) {
		status = h('div.who-status', { id: 'who-status' },
			h('p', t('you_are', { party: ctx.who.name || ctx.who.party, country: ctx.who.country, role: t('role_' + ctx.who.role) })),
			h('p', t('may_do')),
			h('ul', (abilities[ctx.who.role] || []).map((k) => h('li', t(k)))));
	} else {
		status = h('div.who-status', { id: 'who-status' },
			ctx.whoError ? h('p.error', { role: 'alert' }, ctx.whoError) : null,
			h('p', t('anon_may')));
	}
	panel.append(h('h2#token-title', t('token_title')), form, status,
		h('button.linklike', {
			type: 'button',
			onclick: () => toggleTokenPanel(false),
		}, t('close')));
}

function toggleTokenPanel(open) {
	const panel = document.getElementById('token-panel');
	const btn = document.getElementById('who');
	panel.hidden = !open;
	btn.setAttribute('aria-expanded', String(open));
	if (open)
		document.getElementById('token-input').focus();
	else
		btn.focus();
}

function renderChrome() {
	document.querySelectorAll('[data-i18n]').forEach((el) => {
		el.textContent = t(el.dataset.i18n);
	});
	const nav = clear(document.getElementById('nav'));
	const here = location.hash.split('/')[1] || 'map';
	for (const [id, key] of [['map', 'nav_map'], ['consignment', 'nav_consignment'], ['simulation', 'nav_simulation'], ['link', 'nav_link']]) {
		const current = here === id || (id === 'map' && here === 'gate');
		nav.append(h('a', { href: `#/${id}`, 'aria-current': current ? 'page' : null }, t(key)));
	}
	renderWho();
	document.getElementById('foot').textContent = 'borderflow · /v1/openapi.json';
}

let stopView = null;

function route() {
	if (stopView) {
		stopView();
		stopView = null;
	}
	renderChrome();
	const parts = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
	const view = clear(document.getElementById('view'));
	const page = parts[0] || 'map';
	try {
		if (page === 'gate' && parts[1])
			stopView = renderGate(view, parts[1], ctx);
		else if (page === 'consignment')
			stopView = renderConsignment(view, parts[1] || '', ctx);
		else if (page === 'simulation')
			stopView = renderSimulation(view, ctx);
		else if (page === 'link')
			stopView = renderLink(view, ctx);
		else
			stopView = renderMap(view, ctx);
	} catch (e) {
		// A fault of one page leaves the others usable; the console has the rest.
		view.append(h('p.error', { role: 'alert' }, t('error', { msg: e.message })));
		console.error(e);
	}
}

async function start() {
	let saved = '';
	try {
		saved = localStorage.getItem(LANG_KEY) || '';
	} catch {
		saved = '';
	}
	const guess = (navigator.language || 'en').slice(0, 2);
	setLang(saved || (['vi', 'zh'].includes(guess) ? guess : 'en'));
	const select = document.getElementById('lang');
	select.value = lang();
	select.addEventListener('change', () => {
		setLang(select.value);
		localStorage.setItem(LANG_KEY, select.value);
		route();
	});
	document.getElementById('who').addEventListener('click', () => {
		toggleTokenPanel(document.getElementById('token-panel').hidden);
	});
	document.addEventListener('keydown', (ev) => {
		if (ev.key === 'Escape' && !document.getElementById('token-panel').hidden)
			toggleTokenPanel(false);
	});
	try {
		const { commodities } = await api('/v1/commodities', { auth: false });
		for (const c of commodities)
			ctx.commodities.set(c.hs_code, c);
	} catch {
		// Names fall back to HS codes.
	}
	await loadWho();
	window.addEventListener('hashchange', () => {
		route();
		document.getElementById('view').focus({ preventScroll: true });
	});
	route();
	document.body.dataset.ready = 'true';
}

start();
