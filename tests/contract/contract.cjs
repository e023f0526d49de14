// The contract test: every answer the test suite received from a real
// server (recorded one JSON line each by tests/util: tu_http(), by the
// shell tests' curl in tests/util/bin and by the browser tests) is checked
// against api/openapi.json: its operation (method and path template, or
// the server's own answers when no operation matches) documents its
// status, its Content-Type is one documented for that status, and its
// body validates against the documented schema (Ajv, a JSON Schema
// validator, with the formats of ajv-formats). It first checks itself on
// answers known to be wrong, and fails on too few answers or operations.
//
//   node contract.cjs --spec api/openapi.json --records DIR --modules NODE_MODULES
//                     [--min-records N] [--min-coverage FRACTION]
'use strict';
const fs = require('node:fs');
const path = require('node:path');

function option(name, fallback) {
	const i = process.argv.indexOf(`--${name}`);
	if (i < 0 || i + 1 >= process.argv.length) {
		if (fallback === undefined)
			throw new Error(`--${name} is required`);
		return fallback;
	}
	return process.argv[i + 1];
}

const specFile = option('spec');
const recordsDir = option('records');
const modules = path.resolve(option('modules'));
const minRecords = Number(option('min-records', '1000'));
const minCoverage = Number(option('min-coverage', '0.9'));

const Ajv = require(path.join(modules, 'ajv'));
const addFormats = require(path.join(modules, 'ajv-formats'));

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const SPEC_ID = 'openapi.json';

// The document's local references, made absolute so that a schema copied
// out of it still finds the components.
function absolute(schema) {
	if (Array.isArray(schema))
		return schema.map(absolute);
	if (schema === null || typeof schema !== 'object')
		return schema;
	const out = {};
	for (const [k, v] of Object.entries(schema))
		out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#') ? `${SPEC_ID}${v}` : absolute(v);
	return out;
}

// What a "$ref": "#/components/..." outside a schema points to.
function deref(spec, obj) {
	let o = obj;
	for (let hops = 0; o && typeof o.$ref === 'string'; hops++) {
		if (hops > 8 || !o.$ref.startsWith('#/'))
			throw new Error(`cannot follow ${o.$ref}`);
		o = o.$ref.slice(2).split('/').reduce((a, k) => a && a[k.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
	}
	if (!o)
		throw new Error(`${obj.$ref} points to nothing`);
	return o;
}

class Contract {
	constructor(spec) {
		this.spec = spec;
		this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
		addFormats(this.ajv);
		this.ajv.addSchema({ $id: SPEC_ID, components: absolute(spec.components || {}) });
		this.operations = [];
		for (const [template, item] of Object.entries(spec.paths)) {
			const re = new RegExp(`^${template.split(/(\{[^}]+\})/).map((part) =>
				part.startsWith('{') ? '([^/]+)' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('')}$`);
			for (const m of METHODS) {
				if (item[m])
					this.operations.push({ key: `${m.toUpperCase()} ${template}`, method: m.toUpperCase(), template, re,
						responses: item[m].responses || {} });
			}
		}
		const server = spec['x-server-responses'];
		if (!server || typeof server !== 'object')
			throw new Error('the document has no x-server-responses (the answers no operation gives)');
		this.server = { key: 'the server (no operation)', responses: server };
		this.validators = new Map();
	}

	// The operation the server answers METHOD PATH with, as its route
	// table does: the path decoded once, each {x} one non-empty segment;
	// HEAD as GET. The server's own answers when none matches.
	match(method, rawPath) {
		const p = rawPath.split('?')[0];
		let decoded;
		try {
			decoded = decodeURIComponent(p);
		} catch {
			decoded = unescape(p);
		}
		// A NUL or control character is refused before any route.
		if (/[\u0000-\u001f\u007f]/.test(decoded))
			return this.server;
		const m = method === 'HEAD' ? 'GET' : method;
		const found = this.operations.filter((op) => op.re.test(decoded));
		return found.find((op) => op.method === m) || this.server;
	}

	validator(op, status, media, schema) {
		const key = `${op.key} ${status} ${media}`;
		if (!this.validators.has(key))
			this.validators.set(key, this.ajv.compile(absolute(schema)));
		return this.validators.get(key);
	}

	// The problems with one recorded answer: [] when it keeps the contract.
	check(rec) {
		const op = this.match(rec.method, rec.path);
		const documented = op.responses[String(rec.status)];
		if (!documented)
			return { op, problems: [`status ${rec.status} is not documented`] };
		const resp = deref(this.spec, documented);
		const content = resp.content || {};
		const type = (rec.content_type || '').split(';')[0].trim().toLowerCase();
		const media = Object.keys(content);
		if (media.length === 0) {
			return { op, problems: rec.body && rec.method !== 'HEAD' ? ['a body where none is documented'] : [] };
		}
		if (!media.includes(type))
			return { op, problems: [`Content-Type "${rec.content_type}" is not one of ${media.join(', ')}`] };
		if (rec.method === 'HEAD' || !/json/.test(type) || !content[type].schema)
			return { op, problems: [] };
		let body;
		try {
			body = JSON.parse(rec.body);
		} catch (e) {
			return { op, problems: [`the body is not JSON: ${e.message}`] };
		}
		const validate = this.validator(op, rec.status, type, content[type].schema);
		if (validate(body))
			return { op, problems: [] };
		// Array indices as *: one line for a fault in every element.
		return { op, problems: validate.errors.map((e) => `${e.instancePath.replace(/\/\d+(?=\/|$)/g, '/*') || '(body)'}` +
			` ${e.message} [${e.schemaPath.replace(`${SPEC_ID}#`, '#')}]` +
			`${e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : ''}` +
			`${e.params && e.params.allowedValues ? ` (${e.params.allowedValues.join(', ')})` : ''}`) };
	}
}

function readRecords(dir) {
	const out = [];
	if (!fs.existsSync(dir))
		return out;
	for (const f of fs.readdirSync(dir).sort()) {
		if (!f.endsWith('.jsonl'))
			continue;
		const text = fs.readFileSync(path.join(dir, f), 'utf8');
		for (const [i, line] of text.split('\n').entries()) {
			if (!line)
				continue;
			try {
				out.push(JSON.parse(line));
			} catch (e) {
				throw new Error(`${f}:${i + 1}: a record that is not JSON (${e.message}): a file was written badly`);
			}
		}
	}
	return out;
}

let passed = 0;
let failed = 0;
function ok(cond, name) {
	if (cond)
		passed++;
	else
		failed++;
	console.log(`${cond ? 'ok' : 'not ok'} - ${name}`);
	return cond;
}

const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
const contract = new Contract(spec);

// The test catches what it is for: answers made up to break the contract.
const health = '{"status":"ok","store":"sqlite","schema_version":8,"counts":{"gates":1,"commodities":1,' +
	'"exporters":1,"planting_areas":1,"packing_houses":1}}';
const selfChecks = [
	['a documented answer passes', { method: 'GET', path: '/healthz', status: 200,
		content_type: 'application/json; charset=utf-8', body: health }, 0],
	['an undocumented status is caught', { method: 'GET', path: '/healthz', status: 418,
		content_type: 'application/json', body: '{}' }, 1],
	['a body its schema refuses is caught', { method: 'GET', path: '/healthz', status: 200,
		content_type: 'application/json', body: '{"status":5}' }, 1],
	['an error body without its code is caught', { method: 'GET', path: '/v1/gates/nowhere', status: 404,
		content_type: 'application/json', body: '{"error":{"message":"x","field":"id"}}' }, 1],
	['an HTML error page is caught', { method: 'GET', path: '/v1/nowhere', status: 404,
		content_type: 'text/html', body: '<html></html>' }, 1],
	['a path with an id is checked against its operation\'s schema', { method: 'GET', path: '/v1/consignments/c-1/events', status: 200,
		content_type: 'application/json', body: '{}' }, 1],
];
for (const [name, rec, bad] of selfChecks) {
	const { problems } = contract.check(rec);
	ok(bad ? problems.length > 0 : problems.length === 0, `self-check: ${name}${problems.length ? ` (${problems[0]})` : ''}`);
}

const records = readRecords(recordsDir);
ok(records.length >= minRecords, `${records.length} answers were recorded (at least ${minRecords} wanted)`);

const seen = new Map();
const faults = new Map(); // one line per operation, status and problem, with a count and an instance
for (const rec of records) {
	const { op, problems } = contract.check(rec);
	if (op !== contract.server)
		seen.set(op.key, (seen.get(op.key) || 0) + 1);
	for (const p of problems) {
		const key = `${op.key}: ${rec.status}: ${p}`;
		const f = faults.get(key) || { n: 0, rec };
		f.n++;
		faults.set(key, f);
	}
}
for (const [key, f] of faults) {
	ok(false, `${key} (${f.n}×; e.g. ${f.rec.method} ${f.rec.path.slice(0, 120)} from ${f.rec.from}` +
		` on ${f.rec.backend}: ${String(f.rec.body).slice(0, 200)})`);
}
ok(faults.size === 0 || records.length === 0, `every recorded answer keeps the contract`);

const documented = contract.operations.map((op) => op.key);
const unseen = documented.filter((k) => !seen.has(k));
const coverage = documented.length ? seen.size / documented.length : 0;
console.log(`# operations answered: ${seen.size} of ${documented.length} documented ` +
	`(${(100 * coverage).toFixed(0)}%); answers checked: ${records.length}`);
for (const k of unseen)
	console.log(`# never answered: ${k}`);
ok(coverage >= minCoverage, `most operations were exercised (${(100 * minCoverage).toFixed(0)}% wanted)`);

console.log(`contract: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
