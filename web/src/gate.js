// One gate pair: today's hours on both sides and in UTC, its lanes, the fill
// of its slots over the next days, the live waiting yard, the dated changes
// and what happened since the page opened; for its operator, the forms to
// call vehicles forward and to post a closure or an extension.
import { api } from './api.js';
import { add, h, clear, clock, utc, duration } from './dom.js';
import { t, tOr, named } from './i18n.js';

const POLL_MS = 3000;
const SLOT_DAYS = 4;
const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

// The weekday key of NOW in a side's local time ("+07:00").
function localWeekday(offset, now = Date.now()) {
	const m = /^([+-])(\d\d):(\d\d)$/.exec(offset || '+00:00');
	const mins = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
	return WEEKDAYS[new Date(now + mins * 60000).getUTCDay()];
}

// "2026-11-24T10:00" for an <input type=datetime-local> read as UTC.
function inputUtc(ms) {
	return new Date(ms).toISOString().slice(0, 16);
}

export function renderGate(view, id, ctx) {
	let stopped = false;
	let timer = null;
	const canRead = ctx.who && ctx.who.role !== 'registry_authority';
	const isOperator = ctx.who && ctx.who.role === 'gate_operator';
	let lastQueue = null;
	const activity = []; // what this page saw or did
	const serverEvents = new Map(); // consignment in the yard -> its events
	const plates = new Map(); // consignment -> vehicle
	const EVENT_READS = 15;

	const title = h('h1', id);
	const sub = h('p.lead');
	const hoursBox = h('div', t('loading'));
	const lanesBox = h('div');
	const slotsBox = h('div', t('loading'));
	const queueBox = h('div', t('loading'));
	// Not a live region: it changes every few seconds.
	const queueStatus = h('p.updated');
	const changesBox = h('div');
	const activityBox = h('ol.activity#activity');
	add(view,
		h('p.crumb', h('a', { href: '#/map' }, t('back_map'))),
		h('div.page-head', title, sub),
		h('div.grid-2',
			h('section.panel', { 'aria-labelledby': 'hours-title' },
				h('h2#hours-title', t('hours_today')), hoursBox,
				h('h3', t('lanes')), lanesBox),
			h('section.panel', { 'aria-labelledby': 'slots-title' },
				h('h2#slots-title', t('slot_fill')), h('p.help', t('slot_fill_lead')), slotsBox)),
		h('section.panel#queue', { 'aria-labelledby': 'queue-title' },
			h('div.panel-head', h('h2#queue-title', t('queue')), queueStatus), queueBox),
		isOperator ? operatorTools() : h('p.note', t('operator_only')),
		h('div.grid-2',
			h('section.panel', { 'aria-labelledby': 'changes-title' },
				h('h2#changes-title', t('changes')), changesBox),
			h('section.panel', { 'aria-labelledby': 'activity-title' },
				h('h2#activity-title', t('activity')), activityBox)));
	renderActivity();

	function sideName(side) {
		return `${side.country} · ${side.gate} (${side.province})`;
	}

	function renderHours(g, today) {
		const rows = [];
		for (const key of ['a', 'b']) {
			const side = g.sides[key];
			const spans = (side.hours && side.hours[localWeekday(side.utc_offset)]) || [];
			rows.push(h('tr',
				h('th', { scope: 'row' }, sideName(side)),
				h('td', `UTC${side.utc_offset}`),
				h('td', spans.length ? spans.map((x) => `${x.open}–${x.close}`).join(', ') : t('closed_today'))));
		}
		const windows = (today && today.windows) || [];
		clear(hoursBox).append(
			h('div.table-wrap', h('table.compact',
				h('thead', h('tr', h('th', { scope: 'col' }, t('side')), h('th', { scope: 'col' }, 'UTC±'),
					h('th', { scope: 'col' }, t('local_time')))),
				h('tbody', rows))),
			h('h3', t('crossing_window')),
			windows.length
				? h('ul.windows#windows', windows.map((w) => h('li',
					h('strong', `UTC ${clock(w.from)}–${clock(w.to)}`),
					h('span', ` · ${g.sides.a.country} ${clock(w.side_a.from)}–${clock(w.side_a.to)}`),
					h('span', ` · ${g.sides.b.country} ${clock(w.side_b.from)}–${clock(w.side_b.to)}`))))
				: h('p#windows', t('closed_today')));
		const lanes = [];
		for (const dir of ['a_to_b', 'b_to_a']) {
			const l = g.lanes && g.lanes[dir];
			if (!l)
				continue;
			const from = dir === 'a_to_b' ? g.sides.a.country : g.sides.b.country;
			const to = dir === 'a_to_b' ? g.sides.b.country : g.sides.a.country;
			lanes.push(h('li', h('strong', `${from} → ${to}: `), `${l.lanes} × `, t('per_hour', { n: l.vehicles_per_hour })));
		}
		clear(lanesBox).append(h('ul.plain', lanes));
		const exc = [];
		// Changes still running or to come, and those of the last week.
		const since = new Date(Date.now() - 7 * 86400000).toISOString();
		for (const key of ['a', 'b']) {
			for (const e of g.sides[key].exceptions || []) {
				if (e.to >= since)
					exc.push({ ...e, side: g.sides[key].country });
			}
		}
		exc.sort((x, y) => x.from.localeCompare(y.from));
		clear(changesBox).append(exc.length
			? h('ul.plain.changes', exc.map((e) => h('li',
				h('span.tag.' + (e.kind === 'open' ? 'ok' : 'bad'), e.kind === 'open' ? t('extension') : t('closure')),
				` ${e.side}: ${utc(e.from)} → ${utc(e.to)}`, e.note ? h('span.muted', ` — ${e.note}`) : null)))
			: h('p.muted', t('no_changes')));
	}

	function renderSlots(g, slots) {
		const byDay = new Map();
		for (const sl of slots) {
			const day = sl.start.slice(0, 10);
			if (!byDay.has(day))
				byDay.set(day, { a_to_b: { c: 0, b: 0 }, b_to_a: { c: 0, b: 0 } });
			const d = byDay.get(day)[sl.direction];
			d.c += sl.capacity;
			d.b += sl.booked;
		}
		if (byDay.size === 0) {
			clear(slotsBox).append(h('p.muted', t('no_slots')));
			return;
		}
		const rows = [];
		for (const [day, dirs] of byDay) {
			for (const dir of ['a_to_b', 'b_to_a']) {
				const { c, b } = dirs[dir];
				if (!c)
					continue;
				const pct = Math.round((100 * b) / c);
				const from = dir === 'a_to_b' ? g.sides.a.country : g.sides.b.country;
				const to = dir === 'a_to_b' ? g.sides.b.country : g.sides.a.country;
				rows.push(h('div.fill-row',
					h('span.fill-label', `${utc(day + 'T00:00:00Z').replace(' 00:00 UTC', '')} ${from}→${to}`),
					h('span.fill-bar', { role: 'img', 'aria-label': `${pct}%` },
						h('span.fill-done', { style: `width:${Math.min(100, pct)}%` })),
					h('span.fill-num', `${t('places', { b, c })} · ${pct}%`)));
			}
		}
		clear(slotsBox).append(h('div.fill', rows));
	}

	function commodityName(hs) {
		const c = ctx.commodities.get(hs);
		return c ? named(c.names, hs) : hs;
	}

	function renderQueue(waiting) {
		if (!canRead) {
			clear(queueBox).append(h('p.note', ctx.who ? t('map_forbidden') : t('map_no_token')));
			return;
		}
		if (!waiting.length) {
			clear(queueBox).append(h('p.muted#queue-empty', t('queue_empty')));
			return;
		}
		const now = Date.now();
		const rows = waiting.map((w) => {
			const left = (Date.parse(w.deadline) - now) / 1000;
			return h('tr', { 'data-consignment': w.consignment },
				h('td.num', String(w.place)),
				h('th', { scope: 'row' }, h('span.plate', w.vehicle)),
				h('td', commodityName(w.commodity)),
				h('td', utc(w.slot_start)),
				h('td', utc(w.estimated_crossing)),
				h('td.num' + (left < 6 * 3600 ? '.warn' : ''), duration(left)),
				h('td', h('span.tag', tOr('st_' + w.state, w.state))));
		});
		clear(queueBox).append(h('div.table-wrap', h('table#queue-table',
			h('thead', h('tr',
				h('th.num', { scope: 'col' }, t('place')),
				h('th', { scope: 'col' }, t('vehicle')),
				h('th', { scope: 'col' }, t('commodity')),
				h('th', { scope: 'col' }, t('slot')),
				h('th', { scope: 'col' }, t('expected_crossing')),
				h('th.num', { scope: 'col' }, t('to_spoil')),
				h('th', { scope: 'col' }, t('state')))),
			h('tbody', rows))));
	}

	// Recent events: those the server keeps about the vehicles in the yard
	// (booked, moved, checked in, called…), with what this page saw or did.

	function renderActivity() {
		const items = [...activity];
		for (const [cid, events] of serverEvents) {
			for (const ev of events) {
				const kind = tOr('ev_' + ev.kind, ev.kind);
				items.push({ at: ev.at, seq: ev.seq, text: `${kind} · ${plates.get(cid) || cid}`, kind: ev.kind });
			}
		}
		// Newest first; within a second, by the server's order of events.
		items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : (b.seq ?? Infinity) - (a.seq ?? Infinity)));
		clear(activityBox);
		if (!items.length) {
			activityBox.append(h('li.muted', t('no_activity')));
			return;
		}
		for (const a of items.slice(0, 14)) {
			activityBox.append(h('li', { 'data-kind': a.kind || 'page' },
				h('time', { datetime: a.at }, utc(a.at)), ' ', a.text));
		}
	}

	function note(text) {
		activity.unshift({ at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), text });
		renderActivity();
	}

	async function loadEvents(waiting) {
		const ids = waiting.slice(0, EVENT_READS).map((w) => w.consignment);
		for (const w of waiting)
			plates.set(w.consignment, w.vehicle);
		const got = await Promise.all(ids.map((cid) =>
			api(`/v1/consignments/${encodeURIComponent(cid)}/events`).then((r) => [cid, r.events], () => [cid, null])));
		if (stopped)
			return;
		for (const [cid, events] of got) {
			if (events)
				serverEvents.set(cid, events);
		}
		renderActivity();
	}

	let eventTicks = 0;
	function diffQueue(waiting) {
		const changed = !lastQueue || lastQueue.length !== waiting.length ||
			waiting.some((w, i) => w.consignment !== lastQueue[i].consignment || w.slot_start !== lastQueue[i].slot_start);
		if (lastQueue) {
			const after = new Set(waiting.map((w) => w.consignment));
			for (const w of lastQueue) {
				if (!after.has(w.consignment))
					note(t('ev_left', { v: w.vehicle }));
			}
		}
		lastQueue = waiting;
		// The yard's events are read again when it changes, and every fifth poll.
		if (changed || ++eventTicks % 5 === 0)
			loadEvents(waiting);
	}

	function operatorTools() {
		const count = h('input#call-count', { type: 'number', min: 1, max: 100, value: 1, required: true });
		// Outside the gate's hours a call needs a stated reason, which is
		// signed into the history with the call.
		const reason = h('input#call-reason', { type: 'text', maxlength: 399, placeholder: t('override_hint') });
		const callOut = h('div.result#call-result', { 'aria-live': 'polite' });
		const callForm = h('form.form', {
			onsubmit: async (ev) => {
				ev.preventDefault();
				clear(callOut);
				const body = { count: Number(count.value) };
				if (reason.value.trim())
					body.override = { reason: reason.value.trim() };
				try {
					const r = await api(`/v1/gates/${encodeURIComponent(id)}/call`, { method: 'POST', body });
					callOut.append(h('p.ok', t('called_result', { n: r.called.length, m: r.missed_moved })),
						r.called.length ? h('ul.plain', r.called.map((b) => h('li', h('code', b.consignment), ` · ${utc(b.slot_start)}`))) : null);
					for (const b of r.called)
						note(`${t('ev_consignment.called')}: ${b.consignment}`);
					refreshQueue();
				} catch (e) {
					const w = e.body && e.body.next_window;
					if (e.field === 'time')
						callOut.append(h('p.error#call-refused', { role: 'alert' }, w
							? t('call_refused', { vn: w.local.map((l) => `${l.start.slice(0, 16).replace('T', ' ')} (${l.country}, UTC${l.start.slice(19)})`).join(' · '), utc: utc(w.start) })
							: t('call_refused_none')));
					else
						callOut.append(h('p.error', { role: 'alert' }, t('error', { msg: e.message })));
				}
			},
		},
		h('h3', t('call_title')),
		h('div.field', h('label', { for: 'call-count' }, t('count')), count),
		h('div.field', h('label', { for: 'call-reason' }, t('override_reason')), reason),
		h('button.primary#call-btn', { type: 'submit' }, t('call_btn')),
		callOut);

		const start = Math.ceil(Date.now() / 1800000) * 1800000;
		const kind = h('select#change-kind', h('option', { value: 'closure' }, t('closure')), h('option', { value: 'extension' }, t('extension')));
		const from = h('input#change-from', { type: 'datetime-local', value: inputUtc(start), required: true });
		const to = h('input#change-to', { type: 'datetime-local', value: inputUtc(start + 4 * 3600000), required: true });
		const side = h('select#change-side', h('option', { value: '' }, t('both_sides')), h('option', { value: 'a' }, 'A'), h('option', { value: 'b' }, 'B'));
		const noteIn = h('input#change-note', { type: 'text', maxlength: 200 });
		const out = h('div.result#rebook-result', { 'aria-live': 'polite' });
		const changeForm = h('form.form', {
			onsubmit: async (ev) => {
				ev.preventDefault();
				clear(out);
				const body = { kind: kind.value, from: `${from.value}:00Z`, to: `${to.value}:00Z` };
				if (side.value)
					body.side = side.value;
				if (noteIn.value.trim())
					body.note = noteIn.value.trim();
				try {
					const r = await api(`/v1/gates/${encodeURIComponent(id)}/changes`, { method: 'POST', body });
					out.append(h('h4', t('rebook_result')));
					if (!r.moved.length && !r.at_risk.length)
						out.append(h('p.ok', t('nothing_moved')));
					if (r.moved.length) {
						out.append(h('h5', t('moved', { n: r.moved.length })), h('div.table-wrap', h('table.compact#moved-table',
							h('thead', h('tr', h('th', { scope: 'col' }, t('consignment')), h('th', { scope: 'col' }, t('from')), h('th', { scope: 'col' }, t('to')))),
							h('tbody', r.moved.map((m) => h('tr', h('td', h('code', m.consignment)), h('td', utc(m.from)), h('td', utc(m.to))))))));
					}
					if (r.at_risk.length) {
						out.append(h('h5.bad-text', t('at_risk', { n: r.at_risk.length })), h('ul.plain#at-risk', r.at_risk.map((m) => h('li', h('code', m.consignment), ` · ${utc(m.from)}`))));
					}
					note(`${body.kind === 'closure' ? t('closure') : t('extension')} ${utc(body.from)} → ${utc(body.to)}: ${t('moved', { n: r.moved.length })}, ${t('at_risk', { n: r.at_risk.length })}`);
					loadGate();
					loadSlots();
				} catch (e) {
					out.append(h('p.error', { role: 'alert' }, t('error', { msg: e.message })));
				}
			},
		},
		h('h3', t('change_title')),
		h('div.field-row',
			h('div.field', h('label', { for: 'change-kind' }, t('kind')), kind),
			h('div.field', h('label', { for: 'change-side' }, t('side')), side)),
		h('div.field-row',
			h('div.field', h('label', { for: 'change-from' }, t('from_utc')), from),
			h('div.field', h('label', { for: 'change-to' }, t('to_utc')), to)),
		h('div.field', h('label', { for: 'change-note' }, t('note')), noteIn),
		h('button.primary#change-btn', { type: 'submit' }, t('post_btn')),
		out);

		return h('section.panel.operator', { 'aria-labelledby': 'op-title' },
			h('h2#op-title', t('operator_tools')),
			h('div.grid-2', callForm, changeForm));
	}

	async function loadGate() {
		try {
			const [g, list] = await Promise.all([
				api(`/v1/gates/${encodeURIComponent(id)}?days=1`, { auth: false }),
				api('/v1/gates', { auth: false }),
			]);
			if (stopped)
				return;
			title.textContent = named(g.names, g.id);
			const classes = g.designated.map((c) => t('cc_' + c)).join(', ');
			clear(sub).append(`${t(g.mode)} · ${t('class_' + g.class)} · ${t('designated_for', { list: classes })} · ${g.location.lat.toFixed(3)}°N, ${g.location.lon.toFixed(3)}°E`);
			renderHours(g, list.gates.find((x) => x.id === id));
			loadSlots(g);
		} catch (e) {
			clear(hoursBox).append(h('p.error', t('error', { msg: e.message })));
		}
	}

	let gateDoc = null;
	async function loadSlots(g) {
		if (g)
			gateDoc = g;
		if (!gateDoc)
			return;
		try {
			const r = await api(`/v1/gates/${encodeURIComponent(id)}/slots?days=${SLOT_DAYS}`, { auth: false });
			if (!stopped)
				renderSlots(gateDoc, r.slots);
		} catch (e) {
			clear(slotsBox).append(h('p.error', t('error', { msg: e.message })));
		}
	}

	async function refreshQueue() {
		if (!canRead) {
			renderQueue([]);
			return;
		}
		try {
			const r = await api(`/v1/gates/${encodeURIComponent(id)}/queue`);
			if (stopped)
				return;
			diffQueue(r.waiting);
			renderQueue(r.waiting);
			queueStatus.textContent = `${t('live')} · ${t('updated', { time: new Date().toISOString().slice(11, 19) + ' UTC' })}`;
		} catch (e) {
			clear(queueBox).append(h('p.error', t('error', { msg: e.message })));
		}
	}

	async function loop() {
		await refreshQueue();
		if (!stopped)
			timer = setTimeout(loop, POLL_MS);
	}

	loadGate();
	loop();
	let slotTicks = 0;
	const slotTimer = setInterval(() => {
		slotTicks++;
		if (slotTicks % 5 === 0)
			loadSlots();
	}, POLL_MS);
	return () => {
		stopped = true;
		clearTimeout(timer);
		clearInterval(slotTimer);
	};
}
