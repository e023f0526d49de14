// Bundles the dashboard into one folder the build embeds in the binary:
// index.html, app.js (web/src/main.js and what it imports) and app.css.
// The map of the border region is drawn here, at build time, from the
// world-atlas country shapes (Natural Earth 1:10m): the browser receives the
// SVG paths only, and needs no map server.
//
//   node build.mjs [--modules DIR/node_modules] [--out DIR]
import { createRequire } from 'node:module';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
function option(name, fallback) {
	const i = args.indexOf(name);
	return i >= 0 && args[i + 1] ? path.resolve(args[i + 1]) : fallback;
}
const modules = option('--modules', path.join(here, 'node_modules'));
const out = option('--out', path.join(here, 'dist'));

// Packages are resolved from MODULES, which `npm ci` filled from the lock.
const require = createRequire(path.join(path.dirname(modules), 'build.cjs'));
const esbuild = require('esbuild');
const topojson = require('topojson-client');
const { geoMercator, geoPath } = await import(pathToFileURL(require.resolve('d3-geo')).href);
const world = require('world-atlas/countries-10m.json');

// The border region: the land gates lie between 102°E and 108°E.
const WIDTH = 1000, HEIGHT = 440;
const region = { type: 'MultiPoint', coordinates: [[101.75, 21.2], [108.35, 23.65]] };
const projection = geoMercator().fitSize([WIDTH, HEIGHT], region);
projection.clipExtent([[0, 0], [WIDTH, HEIGHT]]);
const draw = geoPath(projection).digits(1);
// ISO 3166 numeric codes: China, Vietnam, Laos, Myanmar.
const shown = { 156: 'CN', 704: 'VN', 418: 'LA', 104: 'MM' };
const countries = topojson.feature(world, world.objects.countries).features
	.filter((f) => shown[Number(f.id)])
	.map((f) => ({ country: shown[Number(f.id)], d: draw(f) }))
	.filter((c) => c.d);
const border = draw(topojson.mesh(world, world.objects.countries, (a, b) => {
	const pair = [Number(a.id), Number(b.id)].sort().join('-');
	return pair === '156-704';
}));
const label = (lon, lat) => projection([lon, lat]).map((v) => Math.round(v));
const map = {
	width: WIDTH,
	height: HEIGHT,
	scale: projection.scale(),
	translate: projection.translate(),
	countries,
	border,
	labels: { CN: label(105.3, 23.45), VN: label(105.4, 21.55), LA: label(102.25, 21.4) },
	source: 'Natural Earth 1:10m via world-atlas',
};

// `import map from 'bf:map'` in the sources gets the drawing above.
const mapPlugin = {
	name: 'bf-map',
	setup(build) {
		build.onResolve({ filter: /^bf:map$/ }, () => ({ path: 'map', namespace: 'bf-map' }));
		build.onLoad({ filter: /.*/, namespace: 'bf-map' }, () => ({
			contents: JSON.stringify(map),
			loader: 'json',
		}));
	},
};

mkdirSync(out, { recursive: true });
await esbuild.build({
	entryPoints: { app: path.join(here, 'src/main.js') },
	bundle: true,
	format: 'esm',
	target: ['es2020'],
	minify: true,
	legalComments: 'none',
	nodePaths: [modules],
	outdir: out,
	plugins: [mapPlugin],
	logLevel: 'warning',
});
copyFileSync(path.join(here, 'index.html'), path.join(out, 'index.html'));
