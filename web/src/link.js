// The shared history: this node's link with the other side's node (what it
// acts for, whether it writes, the pull, the peer's signed head), the forks
// it has found and the events either node holds as disputed, read again
// every few seconds. A border guard or an auditor of either side watches it.
import { api } from './api.js';
import { add, h, clear, utc } from './dom.js';
import { t } from './i18n.js';

const POLL_MS = 5000;

const short = (hash) => (hash ? `${hash.slice(0, 12)}…` : '–');

export function renderLink(view, ctx) {
	let stopped = false;
	let timer = null;
	const out = h('div#link-out');
	add(view, h('div.page-head', h('h1', t('link_title'))), ctx.who ? null : h('p.note', t('link_need_token')), out);

	function status(s) {
		const peer = s.peer;
		const facts = [
			h('dt', t('link_node')), h('dd', h('code', s.node || '–')),
			h('dt', t('link_scope')), h('dd#link-scope', t('scope_' + s.scope)),
			h('dt', t('link_peer')), h('dd', peer ? `${peer.node || '?'} · ${peer.url}` : t('link_alone')),
		];
		if (peer) {
			facts.push(
				h('dt', t('link_writes')),
				h('dd#link-writes', { class: s.writes === 'open' ? 'ok' : 'error' },
					s.writes === 'open' ? t('link_writes_open') : t('link_writes_held', { why: s.writes_held_because || '' })),
				h('dt', t('link_last_pull')),
				h('dd', { class: s.stale ? 'error' : '' }, s.last_success ? utc(s.last_success) : '–',
					s.stale ? ` · ${t('link_stale')}` : ''),
				h('dt', t('link_head')),
				h('dd#link-head', s.peer_head
					? t('link_head_is', { n: s.peer_head.head.origin_seq, age: s.peer_head.age_seconds })
					: '–'));
		}
		return h('section.panel', { 'aria-labelledby': 'link-status' },
			h('h2#link-status', t('link_status')), h('dl.facts', facts));
	}

	function forks(list) {
		return h('section.panel', { 'aria-labelledby': 'link-forks' },
			h('h2#link-forks', t('link_forks'), ' ', h('span.tag', String(list.filter((f) => !f.resolved_at).length))),
			h('p.muted', t('link_forks_help')),
			list.length
				? h('div.table-wrap', h('table.compact#fork-table',
					h('thead', h('tr', [t('link_event'), t('link_found'), t('state'), t('link_held'), t('link_offered')].map((x) => h('th', { scope: 'col' }, x)))),
					h('tbody', list.map((f) => h('tr', { class: f.resolved_at ? '' : 'open' },
						h('td', h('code', `${f.origin} #${f.origin_seq}`)),
						h('td', utc(f.detected_at)),
						h('td', f.resolved_at ? t('link_resolved') : h('strong.error', t('link_open'))),
						h('td', `${f.held.kind || ''} `, h('code', short(f.held.hash))),
						h('td', `${f.offered.kind || t('link_signed_head')} `, h('code', short(f.offered.hash))))))))
				: h('p#no-forks', t('link_no_forks')));
	}

	function disputes(list) {
		return h('section.panel', { 'aria-labelledby': 'link-disputes' },
			h('h2#link-disputes', t('link_disputes'), ' ', h('span.tag', String(list.length))),
			h('p.muted', t('link_disputes_help')),
			list.length
				? h('div.table-wrap', h('table.compact#dispute-table',
					h('thead', h('tr', [t('link_event'), t('link_kind'), t('link_raised_by'), t('link_reason'), t('link_found')].map((x) => h('th', { scope: 'col' }, x)))),
					h('tbody', list.map((d) => h('tr',
						h('td', h('code', `${d.origin} #${d.origin_seq}`)),
						h('td', h('code', d.kind)),
						h('td', d.raised_by),
						h('td.reason', d.reason),
						h('td', utc(d.raised_at)))))))
				: h('p#no-disputes', t('link_no_disputes')));
	}

	async function load() {
		if (stopped || !ctx.who)
			return;
		try {
			const [s, d] = await Promise.all([api('/v1/sync'), api('/v1/disputes')]);
			if (stopped)
				return;
			clear(out).append(status(s), forks(s.forks || []), disputes(d.disputes));
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
