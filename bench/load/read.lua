-- The read runs of bench/load_bench.sh (and the static file, the ceiling):
-- the same request again and again, with a bearer token when the first
-- argument gives one. done() prints one line of figures for the script.

function init(args)
	if args[1] ~= nil and args[1] ~= "" then
		wrk.headers["Authorization"] = "Bearer " .. args[1]
	end
end

function done(summary, latency, requests)
	local e = summary.errors
	-- status: answers of 400 and over, as wrk counts them; the script
	-- counts every non-2xx answer on the server's side as well.
	io.write(string.format("figures requests=%d duration_us=%d p50_us=%d p99_us=%d " ..
		"status=%d connect=%d read=%d write=%d timeout=%d wrapped=0\n",
		summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
		e.status, e.connect, e.read, e.write, e.timeout))
end
