// Small SVG charts for the simulation results: grouped bars with intervals
// and lines over days. Each chart scales to its container's width.
import { s, num } from './dom.js';
import { locale } from './i18n.js';

// 12,000,000 as "12M": axis ticks stay short.
function short(v) {
	return Math.abs(v) >= 10000 ? v.toLocaleString(locale(), { notation: 'compact', maximumFractionDigits: 1 }) : num(v, 2);
}

export const PALETTE = ['#0b5f55', '#c2410c', '#2563eb', '#7c3aed', '#b45309', '#be185d', '#4d7c0f'];

// Round tick values from 0 (or below) to past MAX.
function ticks(min, max, count = 5) {
	if (!(max > min))
		max = min + 1;
	const raw = (max - min) / count;
	const mag = 10 ** Math.floor(Math.log10(raw));
	const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((st) => st >= raw);
	const out = [];
	for (let v = Math.floor(min / step) * step; v <= max + step * 0.999; v += step)
		out.push(Number(v.toPrecision(12)));
	return out;
}

function frame(width, height, pad, yTicks, yLabel) {
	const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img' });
	const y0 = yTicks[0], y1 = yTicks[yTicks.length - 1];
	const y = (v) => pad.t + (height - pad.t - pad.b) * (1 - (v - y0) / (y1 - y0));
	for (const tv of yTicks) {
		svg.append(s('line', { class: 'grid', x1: pad.l, x2: width - pad.r, y1: y(tv), y2: y(tv) }));
		svg.append(s('text', { class: 'tick', x: pad.l - 6, y: y(tv) + 4, 'text-anchor': 'end' }, short(tv)));
	}
	if (yLabel)
		svg.append(s('text', { class: 'axis-label', x: 12, y: pad.t - 10 }, yLabel));
	return { svg, y };
}

// Bars in groups: GROUPS (x labels) × SERIES, VALUE(g, s), optional CI(g, s)
// giving [low, high]; COLOUR(g, s).
export function groupedBars({ groups, series, value, ci, colour, yLabel, title, width = 640 }) {
	// Many groups: their names are slanted, and need room below.
	const slant = (width - 68) / groups.length < 100;
	const height = slant ? 340 : 300;
	const pad = { l: 56, r: 12, t: 28, b: slant ? 86 : 46 };
	let max = 0, min = 0;
	for (let g = 0; g < groups.length; g++) {
		for (let k = 0; k < series.length; k++) {
			max = Math.max(max, value(g, k));
			const c = ci && ci(g, k);
			if (c) {
				max = Math.max(max, c[1]);
				min = Math.min(min, c[0]);
			}
		}
	}
	const { svg, y } = frame(width, height, pad, ticks(min, max), yLabel);
	svg.setAttribute('aria-label', title);
	const gw = (width - pad.l - pad.r) / groups.length;
	const bw = Math.min(34, (gw - 16) / series.length);
	// Series are told apart by shade; a key names them when there are several.
	if (series.length > 1) {
		let kx = width - pad.r;
		for (let k = series.length - 1; k >= 0; k--) {
			const text = s('text', { class: 'bar-label', x: kx, y: 12, 'text-anchor': 'end' }, series[k]);
			kx -= series[k].length * 6.5 + 4;
			svg.append(text, s('rect', { x: kx - 10, y: 3, width: 10, height: 10, fill: '#33434f', 'fill-opacity': 1 - k * 0.18 }));
			kx -= 18;
		}
	}
	groups.forEach((name, g) => {
		const gx = pad.l + g * gw + (gw - bw * series.length) / 2;
		series.forEach((label, k) => {
			const v = value(g, k);
			const x = gx + k * bw;
			const top = y(Math.max(0, v)), base = y(Math.min(0, v));
			svg.append(s('rect', { class: 'bar', x: x + 1, y: top, width: bw - 2, height: Math.max(0.5, base - top), fill: colour(g, k), 'fill-opacity': 1 - k * 0.18 },
				s('title', {}, `${name} · ${label}: ${num(v, 2)}`)));
			const c = ci && ci(g, k);
			if (c) {
				const cx = x + bw / 2;
				svg.append(s('path', { class: 'whisker', d: `M${cx},${y(c[0])}V${y(c[1])}M${cx - 4},${y(c[0])}h8M${cx - 4},${y(c[1])}h8` }));
			}
			if (series.length > 1 && bw >= 24)
				svg.append(s('text', { class: 'bar-label', x: x + bw / 2, y: height - pad.b + 14, 'text-anchor': 'middle' }, label));
		});
		const lx = pad.l + g * gw + gw / 2, ly = height - pad.b + (series.length > 1 && bw >= 24 ? 32 : 18);
		svg.append(slant
			? s('text', { class: 'group-label', x: lx, y: ly, 'text-anchor': 'end', transform: `rotate(-30 ${lx} ${ly})` }, name)
			: s('text', { class: 'group-label', x: lx, y: ly, 'text-anchor': 'middle' }, name));
	});
	return svg;
}

// Lines over days: SERIES [{name, colour, values}].
// WIDTH (in the chart's own units, where text is 11) suits the room it gets.
export function lines({ series, yLabel, xLabel, title, width = 640, height = 280 }) {
	const pad = { l: 56, r: 12, t: 28, b: 40 };
	const n = Math.max(...series.map((x) => x.values.length), 1);
	const max = Math.max(0, ...series.flatMap((x) => x.values));
	const { svg, y } = frame(width, height, pad, ticks(0, max), yLabel);
	svg.setAttribute('aria-label', title);
	const x = (i) => pad.l + ((width - pad.l - pad.r) * i) / Math.max(1, n - 1);
	for (const tv of ticks(1, n, 6).filter((v) => v >= 1 && v <= n && Number.isInteger(v)))
		svg.append(s('text', { class: 'tick', x: x(tv - 1), y: height - pad.b + 16, 'text-anchor': 'middle' }, String(tv)));
	if (xLabel)
		svg.append(s('text', { class: 'axis-label', x: width - pad.r, y: height - 6, 'text-anchor': 'end' }, xLabel));
	for (const line of series) {
		const d = line.values.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
		svg.append(s('path', { class: 'line', d, stroke: line.colour }, s('title', {}, line.name)));
	}
	return svg;
}
