// Calls to the borderflow API of the server that serves the page, with the
// bearer token kept in this browser (localStorage).
const KEY = 'borderflow.token';

export function token() {
	try {
		return localStorage.getItem(KEY) || '';
	} catch {
		return '';
	}
}

export function setToken(value) {
	if (value)
		localStorage.setItem(KEY, value);
	else
		localStorage.removeItem(KEY);
}

export class ApiError extends Error {
	constructor(status, body) {
		super((body && body.error && body.error.message) || `HTTP ${status}`);
		this.status = status;
		this.field = body && body.error ? body.error.field : '';
		this.body = body;
	}
}

// METHOD PATH with an optional JSON BODY; resolves to the parsed answer, or
// rejects with an ApiError carrying the API's error message.
export async function api(path, { method = 'GET', body, auth = true } = {}) {
	const headers = { Accept: 'application/json' };
	const tok = token();
	if (auth && tok)
		headers.Authorization = `Bearer ${tok}`;
	if (body !== undefined)
		headers['Content-Type'] = 'application/json';
	const res = await fetch(path, {
		method,
		headers,
		body: body === undefined ? undefined : JSON.stringify(body),
		cache: 'no-store',
	});
	let data = null;
	try {
		data = await res.json();
	} catch {
		data = null;
	}
	if (!res.ok)
		throw new ApiError(res.status, data);
	return data;
}
