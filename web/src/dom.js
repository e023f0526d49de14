// A small element builder and the formatting of times, durations and numbers.
import { locale } from './i18n.js';

// h('tag.class#id', {attr: value, onclick: fn}, children...)
export function h(spec, attrs, ...children) {
	const m = /^([a-z0-9]+)((?:[.#][\w-]+)*)$/i.exec(spec);
	const el = document.createElement(m ? m[1] : spec);
	if (m && m[2]) {
		for (const part of m[2].match(/[.#][\w-]+/g)) {
			if (part[0] === '.')
				el.classList.add(part.slice(1));
			else
				el.id = part.slice(1);
		}
	}
	if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
		children.unshift(attrs);
		attrs = null;
	}
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === undefined || v === null || v === false)
			continue;
		if (k.startsWith('on'))
			el.addEventListener(k.slice(2), v);
		else if (k === 'text')
			el.textContent = v;
		else if (k === 'value')
			el.value = v;
		else
			el.setAttribute(k, v === true ? '' : v);
	}
	append(el, children);
	return el;
}

function append(el, children) {
	for (const c of children) {
		if (c === undefined || c === null || c === false)
			continue;
		if (Array.isArray(c))
			append(el, c);
		else
			el.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
}

const SVG = 'http://www.w3.org/2000/svg';
export function s(tag, attrs, ...children) {
	const el = document.createElementNS(SVG, tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === undefined || v === null)
			continue;
		if (k.startsWith('on'))
			el.addEventListener(k.slice(2), v);
		else
			el.setAttribute(k, v);
	}
	for (const c of children.flat()) {
		if (c === undefined || c === null || c === false)
			continue;
		el.append(c instanceof Node ? c : document.createTextNode(String(c)));
	}
	return el;
}

// "HH:MM" of an ISO instant as written (a local time keeps its offset).
export function clock(iso) {
	return iso ? iso.slice(11, 16) : '–';
}

// "24 Nov 10:30 UTC" of an instant.
export function utc(iso) {
	if (!iso)
		return '–';
	const d = new Date(iso);
	const day = d.toLocaleDateString(locale(), { day: 'numeric', month: 'short', timeZone: 'UTC' });
	return `${day} ${iso.slice(11, 16)} UTC`;
}

// "3 h 20 min", "-1 h" of a number of seconds.
export function duration(seconds) {
	if (!Number.isFinite(seconds))
		return '–';
	const sign = seconds < 0 ? '−' : '';
	let m = Math.round(Math.abs(seconds) / 60);
	const d = Math.floor(m / 1440);
	m -= d * 1440;
	const hh = Math.floor(m / 60);
	const mm = m % 60;
	if (d > 0)
		return `${sign}${d} d ${hh} h`;
	if (hh > 0)
		return `${sign}${hh} h ${String(mm).padStart(2, '0')} min`;
	return `${sign}${mm} min`;
}

export function num(x, digits = 1) {
	if (x === null || x === undefined || !Number.isFinite(x))
		return '–';
	return x.toLocaleString(locale(), { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

// Appends CHILDREN to EL, skipping null, undefined and false.
export function add(el, ...children) {
	append(el, children);
	return el;
}

export function clear(el) {
	while (el.firstChild)
		el.firstChild.remove();
	return el;
}
