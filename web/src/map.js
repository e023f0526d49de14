// The border map: every gate pair on the Vietnam–China border, coloured by
// its queue and expected wait, beside a list of the same gates. Queues are
// read every few seconds while the page is open.
import { geoMercator } from 'd3-geo';
import map from 'bf:map';
import { api } from './api.js';
import { add, h, s, clear, clock, duration } from './dom.js';
import { t, named } from './i18n.js';

const POLL_MS = 4000;

// The level of a gate from its waiting vehicles: the expected wait is the
// time until the last of them is expected to cross.
export function queueLevel(waiting, now = Date.now()) {
	if (!waiting)
		return { level: 'unknown', count: null, wait: null };
	let last = now;
	for (const w of waiting) {
		const at = Date.parse(w.estimated_crossing);
		if (Number.isFinite(at) && at > last)
			last = at;
	}
	const wait = (last - now) / 1000;
	const level = wait > 6 * 3600 ? 'jammed' : wait > 2 * 3600 ? 'busy' : 'clear';
	return { level, count: waiting.length, wait };
}

function shortName(g) {
	return named(g.names, g.id).split(' – ')[0];
}

// Places gates that would overlap around their common centre, each with a
// leader line to where it really is.
function layout(gates, project) {
	const pts = gates.map((g) => {
		const [x, y] = project([g.location.lon, g.location.lat]);
		return { g, x, y, mx: x, my: y };
	});
	const groups = [];
	for (const p of pts) {
		const near = groups.find((gr) => Math.hypot(gr.x - p.x, gr.y - p.y) < 18);
		if (near) {
			near.members.push(p);
			near.x = near.members.reduce((a, m) => a + m.x, 0) / near.members.length;
			near.y = near.members.reduce((a, m) => a + m.y, 0) / near.members.length;
		} else {
			groups.push({ x: p.x, y: p.y, members: [p] });
		}
	}
	for (const gr of groups) {
		const n = gr.members.length;
		if (n === 1)
			continue;
		const r = 16 + 4 * n;
		gr.members.forEach((p, i) => {
			const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
			p.mx = gr.x + r * Math.cos(a);
			p.my = gr.y + r * Math.sin(a);
		});
	}
	return { pts, groups };
}

export function renderMap(view, ctx) {
	let timer = null;
	let stopped = false;
	const canRead = ctx.who && ctx.who.role !== 'registry_authority';
	const state = new Map(); // gate id -> queueLevel

	const note = !ctx.who
		? h('p.note#map-note', { role: 'note' }, t('map_no_token'))
		: !canRead ? h('p.note#map-note', { role: 'note' }, t('map_forbidden')) : null;
	const status = h('p.updated');
	const mapBox = h('div.map-box');
	const listBox = h('div.gate-list');
	add(view,
		h('div.page-head',
			h('h1', t('map_title')),
			h('p.lead#map-lead', t('loading'))),
		note,
		h('div.map-layout',
			h('figure.map-figure', mapBox, legend(), h('figcaption.source', t('map_source'))),
			h('section.panel', { 'aria-labelledby': 'gates-title' },
				h('div.panel-head', h('h2#gates-title', t('gate')), status),
				listBox)));

	function legend() {
		const items = canRead ? ['clear', 'busy', 'jammed'] : ['unknown'];
		return h('ul.legend', { 'aria-label': t('legend') },
			items.map((l) => h('li', h('span.swatch.lvl-' + l, { 'aria-hidden': 'true' }), t('level_' + l))),
			h('li', h('span.shape-road', { 'aria-hidden': 'true' }), t('road')),
			h('li', h('span.shape-rail', { 'aria-hidden': 'true' }), t('rail')));
	}

	function drawMap(gates) {
		const projection = geoMercator().scale(map.scale).translate(map.translate);
		const { pts, groups } = layout(gates, projection);
		const svg = s('svg', {
			viewBox: `0 0 ${map.width} ${map.height}`,
			class: 'border-map',
			role: 'group',
			'aria-label': t('map_title'),
		});
		svg.append(s('rect', { class: 'sea', x: 0, y: 0, width: map.width, height: map.height }));
		for (const c of map.countries)
			svg.append(s('path', { class: `land land-${c.country}`, d: c.d }));
		svg.append(s('path', { class: 'border-line', d: map.border }));
		for (const [code, [x, y]] of Object.entries(map.labels))
			svg.append(s('text', { class: 'country-label', x, y, 'text-anchor': 'middle' }, t('country_' + code)));
		for (const gr of groups) {
			if (gr.members.length > 1)
				svg.append(s('circle', { class: 'cluster', cx: gr.x, cy: gr.y, r: 16 + 4 * gr.members.length + 10 }));
		}
		for (const p of pts) {
			if (p.mx !== p.x || p.my !== p.y) {
				svg.append(s('line', { class: 'leader', x1: p.x, y1: p.y, x2: p.mx, y2: p.my }));
				svg.append(s('circle', { class: 'true-pos', cx: p.x, cy: p.y, r: 2 }));
			}
		}
		for (const p of pts) {
			const g = p.g;
			const shape = g.mode === 'rail'
				? s('rect', { x: p.mx - 7, y: p.my - 7, width: 14, height: 14, rx: 2 })
				: s('circle', { cx: p.mx, cy: p.my, r: 8 });
			const a = s('a', {
				href: `#/gate/${encodeURIComponent(g.id)}`,
				class: 'gate-marker lvl-unknown',
				'data-gate': g.id,
				'aria-label': named(g.names, g.id),
			}, s('title', {}, named(g.names, g.id)), shape);
			svg.append(a);
		}
		// Labels of lone gates and of each group, after the markers so that they
		// read on top: below, above, right or left, wherever they hit nothing.
		const boxes = pts.map((p) => ({ x0: p.mx - 9, x1: p.mx + 9, y0: p.my - 9, y1: p.my + 9 }));
		const hits = (b) => boxes.some((o) => b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1);
		const rank = { international: 0, main: 1, secondary: 2 };
		for (const gr of groups) {
			// A group is named after its foremost pair: international first, then
			// the most places an hour.
			const places = (g) => (g.lanes && g.lanes.a_to_b ? g.lanes.a_to_b.lanes * g.lanes.a_to_b.vehicles_per_hour : 0);
			const first = [...gr.members].sort((a, b) =>
				(rank[a.g.class] ?? 3) - (rank[b.g.class] ?? 3) || places(b.g) - places(a.g))[0];
			const n = gr.members.length;
			const x = n > 1 ? gr.x : first.mx;
			const y = n > 1 ? gr.y : first.my;
			const reach = n > 1 ? 16 + 4 * n + 10 : 10;
			const text = n > 1 ? `${shortName(first.g)} +${n - 1}` : shortName(first.g);
			const w = text.length * 6.6;
			const spots = [
				{ x, y: y + reach + 13, anchor: 'middle' },
				{ x, y: y - reach - 5, anchor: 'middle' },
				{ x: x + reach + 3, y: y + 4, anchor: 'start' },
				{ x: x - reach - 3, y: y + 4, anchor: 'end' },
			];
			const box = (sp) => {
				const x0 = sp.anchor === 'middle' ? sp.x - w / 2 : sp.anchor === 'start' ? sp.x : sp.x - w;
				return { x0, x1: x0 + w, y0: sp.y - 11, y1: sp.y + 3 };
			};
			const spot = spots.find((sp) => !hits(box(sp))) || spots[0];
			boxes.push(box(spot));
			svg.append(s('text', { class: 'gate-label', x: spot.x, y: spot.y, 'text-anchor': spot.anchor }, text));
		}
		clear(mapBox).append(svg);
	}

	function drawList(gates) {
		const rows = gates.map((g) => {
			const win = (g.windows || []).map((w) => `${clock(w.from)}–${clock(w.to)}`).join(', ') || t('closed_today');
			return h('tr', { 'data-gate': g.id },
				h('th', { scope: 'row' },
					h('span.dot.lvl-unknown', { 'aria-hidden': 'true' }),
					h('a.gate-name', { href: `#/gate/${encodeURIComponent(g.id)}` }, named(g.names, g.id))),
				h('td', t(g.mode)),
				h('td.num.q-count', '–'),
				h('td.num.q-wait', '–'),
				h('td.windows', win));
		});
		clear(listBox).append(h('div.table-wrap', h('table.gates',
			h('thead', h('tr',
				h('th', { scope: 'col' }, t('gate')),
				h('th', { scope: 'col' }, t('mode')),
				h('th.num', { scope: 'col' }, t('waiting')),
				h('th.num', { scope: 'col' }, t('expected_wait')),
				h('th', { scope: 'col' }, t('open_today')))),
			h('tbody', rows))));
	}

	function paint() {
		for (const [id, q] of state) {
			view.querySelectorAll(`[data-gate="${CSS.escape(id)}"]`).forEach((el) => {
				const target = el.matches('tr') ? el.querySelector('.dot') : el;
				target.classList.remove('lvl-unknown', 'lvl-clear', 'lvl-busy', 'lvl-jammed');
				target.classList.add('lvl-' + q.level);
				target.dataset.level = q.level;
				if (el.matches('tr')) {
					el.querySelector('.q-count').textContent = q.count === null ? '–' : String(q.count);
					el.querySelector('.q-wait').textContent = q.count ? duration(q.wait) : q.count === 0 ? '0' : '–';
				} else {
					const label = `${el.getAttribute('aria-label').split(':')[0]}: ${q.count === null ? t('level_unknown') : t('vehicles', { n: q.count }) + ', ' + t('level_' + q.level)}`;
					el.setAttribute('aria-label', label);
					el.querySelector('title').textContent = label;
				}
			});
		}
	}

	async function poll(gates) {
		if (stopped || !canRead)
			return;
		await Promise.all(gates.map(async (g) => {
			try {
				const q = await api(`/v1/gates/${encodeURIComponent(g.id)}/queue`);
				state.set(g.id, queueLevel(q.waiting));
			} catch {
				state.set(g.id, queueLevel(null));
			}
		}));
		if (stopped)
			return;
		paint();
		status.textContent = t('updated', { time: new Date().toISOString().slice(11, 19) + ' UTC' });
		timer = setTimeout(() => poll(gates), POLL_MS);
	}

	api('/v1/gates', { auth: false }).then(({ gates }) => {
		if (stopped)
			return;
		view.querySelector('#map-lead').textContent = t('map_lead', { n: gates.length });
		drawMap(gates);
		drawList(gates);
		poll(gates);
	}).catch((e) => {
		view.querySelector('#map-lead').textContent = t('error', { msg: e.message });
	});

	return () => {
		stopped = true;
		clearTimeout(timer);
	};
}
