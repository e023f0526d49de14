// A consignment as its carrier follows it: where it stands in the lifecycle
// and every event about it, read again every few seconds.
import { api } from './api.js';
import { add, h, clear, utc, num } from './dom.js';
import { t, tOr, named } from './i18n.js';

const POLL_MS = 5000;
const PATH = ['declared', 'validated', 'booked', 'waiting', 'called', 'export_cleared', 'import_cleared', 'crossed'];

export function renderConsignment(view, id, ctx) {
	let stopped = false;
	let timer = null;
	const input = h('input#cons-id', { type: 'text', value: id, required: true, autocomplete: 'off', spellcheck: 'false', placeholder: 'c-…' });
	const out = h('div#cons-out');
	add(view,
		h('div.page-head', h('h1', t('cons_title'))),
		h('form.form.inline-form', {
			onsubmit: (ev) => {
				ev.preventDefault();
				const v = input.value.trim();
				if (v)
					location.hash = `#/consignment/${encodeURIComponent(v)}`;
			},
		},
		h('div.field', h('label', { for: 'cons-id' }, t('cons_id')), input),
		h('button.primary', { type: 'submit' }, t('show'))),
		ctx.who ? null : h('p.note', t('cons_need_token')),
		out);

	function describe(ev) {
		const p = ev.payload || {};
		const bits = [];
		if (p.gate)
			bits.push(p.gate);
		if (p.slot_start && 'moved_to' in p)
			bits.push(`${t('slot')} ${utc(p.slot_start)} → ${p.moved_to ? utc(p.moved_to) : '–'}`);
		else if (p.slot_start)
			bits.push(`${t('slot')} ${utc(p.slot_start)}`);
		const instant = (x) => /^\d{4}-\d\d-\d\dT/.test(x);
		if (p.from && p.to && instant(p.from))
			bits.push(`${utc(p.from)} → ${utc(p.to)}`);
		else if (p.from && p.to)
			bits.push(`${tOr('st_' + p.from, p.from)} → ${tOr('st_' + p.to, p.to)}`);
		if (Array.isArray(p.violations))
			bits.push(p.violations.map((v) => `${v.field}: ${v.message}`).join('; '));
		return bits.join(' · ');
	}

	function render(c, events) {
		const commodity = ctx.commodities.get(c.commodity);
		const stateIdx = PATH.indexOf(c.state);
		clear(out).append(
			h('section.panel', { 'aria-labelledby': 'cons-head' },
				h('div.panel-head', h('h2#cons-head', h('code', c.id)), h('span.tag.big#cons-state', tOr('st_' + c.state, c.state))),
				h('ol.stepper', { 'aria-label': t('state') }, PATH.map((st, i) => h('li', {
					class: i < stateIdx ? 'done' : i === stateIdx ? 'current' : '',
					'aria-current': i === stateIdx ? 'step' : null,
				}, t('st_' + st)))),
				h('dl.facts',
					h('dt', t('commodity')), h('dd', commodity ? named(commodity.names, c.commodity) : c.commodity),
					h('dt', t('vehicle')), h('dd', h('span.plate', c.vehicle.number), ` (${c.vehicle.kind}, ${c.vehicle.country})`),
					h('dt', t('exporter')), h('dd', c.exporter),
					h('dt', t('weight')), h('dd', `${num(c.net_weight_kg / 1000, 1)} t`),
					h('dt', t('destination')), h('dd', c.destination + (c.preferred_gate ? ` · ${c.preferred_gate}` : '')),
					h('dt', t('declared_at')), h('dd', utc(c.declared_at)))),
			h('section.panel', { 'aria-labelledby': 'tl-head' },
				h('h2#tl-head', t('timeline')),
				events.length
					? h('ol.timeline#timeline', events.map((ev) => h('li', { 'data-kind': ev.kind },
						h('time', { datetime: ev.at }, utc(ev.at)),
						h('div',
							h('strong', tOr('ev_' + ev.kind, ev.kind)),
							h('span.muted', ` ${t('by', { who: `${ev.party} (${tOr('role_' + ev.role, ev.role)})` })}`),
							describe(ev) ? h('div.detail', describe(ev)) : null))))
					: h('p.muted', t('no_events'))));
	}

	async function load() {
		if (!id || stopped)
			return;
		try {
			const [c, ev] = await Promise.all([
				api(`/v1/consignments/${encodeURIComponent(id)}`),
				api(`/v1/consignments/${encodeURIComponent(id)}/events`),
			]);
			if (stopped)
				return;
			render(c, ev.events);
		} catch (e) {
			clear(out).append(h('p.error', { role: 'alert' }, t('error', { msg: e.message })));
		}
		if (!stopped)
			timer = setTimeout(load, POLL_MS);
	}
	load();
	return () => {
		stopped = true;
		clearTimeout(timer);
	};
}
