// Policies compared over a harvest season: choose a bundled scenario and
// some of its policies, run it on the server (a planner's token), follow its
// progress, and read the results on charts, for the whole border or a gate.
import { api } from './api.js';
import { add, h, clear, num } from './dom.js';
import { t, named } from './i18n.js';
import { groupedBars, lines, PALETTE } from './charts.js';

const POLL_MS = 700;
const LAST = 'borderflow.simulation';

export function renderSimulation(view, ctx) {
	let stopped = false;
	let timer = null;
	let gatesById = new Map();
	let onResize = () => {};
	const isPlanner = ctx.who && ctx.who.role === 'planner';
	const formBox = h('div', t('loading'));
	const runBox = h('div#sim-run');
	// Says the status when it changes, not at every poll.
	const announce = h('p.visually-hidden', { role: 'status' });
	let lastStatus = '';
	const resultBox = h('div#sim-result');
	add(view,
		h('div.page-head', h('h1', t('sim_title')), h('p.lead', t('sim_lead'))),
		isPlanner ? null : h('p.note', t('sim_need_planner')),
		h('section.panel', { 'aria-labelledby': 'sim-form-title' }, h('h2.visually-hidden#sim-form-title', t('sim_title')), formBox, runBox, announce),
		resultBox);

	function buildForm(scenarios) {
		const scenario = h('select#sim-scenario', scenarios.map((sc) => h('option', { value: sc.name }, `${sc.title || sc.name} (${t('days', { n: sc.days })})`)));
		const policyBox = h('div.checks');
		const reps = h('input#sim-reps', { type: 'number', min: 1, max: 50, value: 2, required: true });
		const seed = h('input#sim-seed', { type: 'number', min: 0, value: 1, required: true });
		const err = h('p.error', { role: 'alert', hidden: true });
		function fillPolicies() {
			const sc = scenarios.find((x) => x.name === scenario.value);
			clear(policyBox);
			(sc ? sc.policies : []).forEach((p, i) => {
				const cid = `pol-${p.name}`;
				policyBox.append(h('div.check',
					h('input', { type: 'checkbox', id: cid, name: 'policy', value: p.name, checked: i < 2 }),
					h('label', { for: cid }, h('strong', p.name), h('span.muted', ` — ${p.description}`))));
			});
		}
		scenario.addEventListener('change', fillPolicies);
		fillPolicies();
		const form = h('form.form#sim-form', {
			onsubmit: async (ev) => {
				ev.preventDefault();
				err.hidden = true;
				const policies = [...policyBox.querySelectorAll('input:checked')].map((x) => x.value);
				if (!policies.length) {
					err.textContent = t('pick_two');
					err.hidden = false;
					return;
				}
				try {
					const doc = await api('/v1/simulations', {
						method: 'POST',
						body: { scenario: scenario.value, replications: Number(reps.value), seed: Number(seed.value), policies },
					});
					localStorage.setItem(LAST, doc.id);
					follow(doc.id);
				} catch (e) {
					err.textContent = t('error', { msg: e.message });
					err.hidden = false;
				}
			},
		},
		h('div.field', h('label', { for: 'sim-scenario' }, t('scenario')), scenario),
		h('fieldset', h('legend', t('policies')), policyBox),
		h('div.field-row',
			h('div.field', h('label', { for: 'sim-reps' }, t('replications')), reps),
			h('div.field', h('label', { for: 'sim-seed' }, t('seed')), seed)),
		h('button.primary#sim-run-btn', { type: 'submit', disabled: !isPlanner }, t('run')),
		err);
		clear(formBox).append(form);
	}

	function showProgress(doc) {
		const p = doc.progress || { done: 0, total: 1 };
		if (doc.status !== lastStatus) {
			lastStatus = doc.status;
			announce.textContent = t('sim_status_' + doc.status);
		}
		add(clear(runBox), h('div.progress-row',
			h('span.tag#sim-status', { 'data-status': doc.status }, t('sim_status_' + doc.status)),
			h('progress#sim-progress', { max: p.total || 1, value: p.done, 'aria-label': t('progress', p) }),
			h('span', t('progress', p))),
		doc.status === 'failed' && doc.error ? h('p.error', doc.error.message) : null);
	}

	async function follow(id) {
		clearTimeout(timer);
		try {
			const doc = await api(`/v1/simulations/${encodeURIComponent(id)}`);
			if (stopped)
				return;
			showProgress(doc);
			if (doc.status === 'done' && doc.result) {
				showResult(doc.result);
				return;
			}
			if (doc.status === 'failed')
				return;
		} catch (e) {
			clear(runBox).append(h('p.error', t('error', { msg: e.message })));
			return;
		}
		timer = setTimeout(() => follow(id), POLL_MS);
	}

	function gateName(id) {
		if (id === 'all')
			return t('all_gates');
		const g = gatesById.get(id);
		return g ? named(g.names, id) : id;
	}

	function showResult(res) {
		const gateSel = h('select#sim-gate', res.gates.map((g) => h('option', { value: g, selected: g === 'all' }, gateName(g))));
		const charts = h('div.charts');
		const legend = h('ul.legend.policy-legend', res.policies.map((p, i) => h('li',
			h('span.swatch', { style: `background:${PALETTE[i % PALETTE.length]}`, 'aria-hidden': 'true' }), p.name)));
		function draw() {
			const gate = gateSel.value;
			const per = res.policies.map((p) => p.gates.find((x) => x.gate === gate));
			const fig = (i, k) => per[i].figures[k];
			const names = res.policies.map((p) => p.name);
			const waitKeys = ['wait_mean_hours', 'wait_p50_hours', 'wait_p90_hours', 'wait_p99_hours'];
			const colour = (i) => PALETTE[i % PALETTE.length];
			// Charts drawn at about their size on screen, so that their text reads at any width.
			const full = Math.max(320, charts.clientWidth || 640);
			const half = full >= 916 ? (full - 16) / 2 : full; // .charts: two columns of 30rem and a gap
			const wide = Math.round(Math.min(1400, full - 24));
			const narrow = Math.round(Math.min(720, Math.max(320, half - 24)));
			clear(charts).append(
				h('figure.chart-card#chart-wait',
					h('figcaption', h('strong', t('chart_wait')), h('span.muted', t('chart_wait_lead'))),
					groupedBars({
						groups: names,
						series: ['mean', 'p50', 'p90', 'p99'],
						value: (i, k) => fig(i, waitKeys[k]).mean,
						ci: (i, k) => (k === 0 ? fig(i, waitKeys[k]).ci95 : null),
						colour,
						yLabel: t('hours'),
						title: t('chart_wait'),
						width: narrow,
					})),
				h('figure.chart-card#chart-spoiled',
					h('figcaption', h('strong', t('chart_spoiled')), h('span.muted', t('chart_spoiled_lead'))),
					groupedBars({
						groups: names,
						series: ['USD'],
						value: (i) => fig(i, 'spoiled_value_usd').mean,
						ci: (i) => fig(i, 'spoiled_value_usd').ci95,
						colour,
						yLabel: 'USD',
						title: t('chart_spoiled'),
						width: narrow,
					})),
				h('figure.chart-card.wide#chart-queue',
					h('figcaption', h('strong', t('chart_queue')), h('span.muted', t('chart_queue_lead'))),
					lines({
						series: per.map((g, i) => ({ name: names[i], colour: colour(i), values: g.queue_by_day })),
						yLabel: t('waiting'),
						xLabel: t('day_n'),
						title: t('chart_queue'),
						width: wide,
						height: 300,
					})),
				h('div.chart-card.wide',
					h('h3', t('figures')),
					h('div.table-wrap', h('table.compact#sim-table',
						h('thead', h('tr', h('th', { scope: 'col' }, t('policy')),
							h('th.num', { scope: 'col' }, t('crossings_per_day')),
							h('th.num', { scope: 'col' }, t('wait_mean')),
							h('th.num', { scope: 'col' }, 'p90'),
							h('th.num', { scope: 'col' }, t('spoiled_loads')),
							h('th.num', { scope: 'col' }, t('spoiled_value')))),
						h('tbody', names.map((n, i) => h('tr',
							h('th', { scope: 'row' }, h('span.swatch', { style: `background:${colour(i)}`, 'aria-hidden': 'true' }), n),
							h('td.num', ci(fig(i, 'crossings_per_day'), 1)),
							h('td.num', ci(fig(i, 'wait_mean_hours'), 1)),
							h('td.num', num(fig(i, 'wait_p90_hours').mean, 1)),
							h('td.num', ci(fig(i, 'spoiled_loads'), 0)),
							h('td.num', ci(fig(i, 'spoiled_value_usd'), 0)))))))));
		}
		gateSel.addEventListener('change', draw);
		let resizeTimer = null;
		window.removeEventListener('resize', onResize);
		onResize = () => {
			clearTimeout(resizeTimer);
			resizeTimer = setTimeout(draw, 200);
		};
		window.addEventListener('resize', onResize);
		clear(resultBox).append(h('section.panel#sim-results', { 'aria-labelledby': 'sim-res-title' },
			h('div.panel-head',
				h('h2#sim-res-title', `${res.title || res.scenario} · ${t('replications')}: ${res.replications}`),
				h('div.field.inline', h('label', { for: 'sim-gate' }, t('at_gate')), gateSel)),
			legend, charts));
		draw();
	}

	function ci(f, digits) {
		if (!f.ci95)
			return num(f.mean, digits);
		return `${num(f.mean, digits)} ± ${num((f.ci95[1] - f.ci95[0]) / 2, digits)}`;
	}

	Promise.all([api('/v1/scenarios', { auth: false }), api('/v1/gates', { auth: false })]).then(([sc, gl]) => {
		if (stopped)
			return;
		gatesById = new Map(gl.gates.map((g) => [g.id, g]));
		buildForm(sc.scenarios);
		const last = localStorage.getItem(LAST);
		if (last && isPlanner)
			follow(last);
	}).catch((e) => {
		clear(formBox).append(h('p.error', t('error', { msg: e.message })));
	});

	return () => {
		stopped = true;
		clearTimeout(timer);
		window.removeEventListener('resize', onResize);
	};
}
