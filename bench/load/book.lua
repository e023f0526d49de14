-- The booking run of bench/load_bench.sh: each request books a different
-- consignment, declared and validated before the run, at the gate and
-- from the slot its line names. Arguments: the carrier's token, the file
-- of lines "consignment gate slot_start", and the number of threads.
-- Thread k takes lines k, k + T, k + 2T... so that no two threads book
-- the same consignment. A thread that has used all its lines starts
-- again from its first (rebooking what it booked); done() reports that,
-- and the script counts it as a failed run.

local threads = {}
local counter = 0

function setup(thread)
	thread:set("index", counter)
	counter = counter + 1
	table.insert(threads, thread)
end

local requests_of = {}
local next_request = 1
wrapped = 0

function init(args)
	wrk.headers["Authorization"] = "Bearer " .. args[1]
	wrk.headers["Content-Type"] = "application/json"
	local n_threads = tonumber(args[3])
	local n = 0
	for line in io.lines(args[2]) do
		if n % n_threads == index then
			local id, gate, at = line:match("^(%S+) (%S+) (%S+)$")
			local body = string.format('{"gate":"%s","earliest":"%s"}', gate, at)
			requests_of[#requests_of + 1] = wrk.format("POST", "/v1/consignments/" .. id .. "/booking", nil, body)
		end
		n = n + 1
	end
end

function request()
	if next_request > #requests_of then
		next_request = 1
		wrapped = wrapped + 1
	end
	local r = requests_of[next_request]
	next_request = next_request + 1
	return r
end

function done(summary, latency, requests)
	local e = summary.errors
	local w = 0
	for _, thread in ipairs(threads) do
		w = w + thread:get("wrapped")
	end
	io.write(string.format("figures requests=%d duration_us=%d p50_us=%d p99_us=%d " ..
		"status=%d connect=%d read=%d write=%d timeout=%d wrapped=%d\n",
		summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
		e.status, e.connect, e.read, e.write, e.timeout, w))
end
