-- wrk script for bench/writes.sh: every request is
--   POST /api/v1/activities (Authorization: Bearer, Content-Type: application/json)
-- with the journal's quick entry (docs/api.md): today's date, type
-- contact_informel, place parc, a duration, adults and children 0-5, needs
-- [isolement]. The duration and the counts change from one request to the
-- next (no two consecutive requests of a connection are alike).
--
-- Environment: BENCH_TOKEN (the bearer token, required), BENCH_DATE
-- (YYYY-MM-DD, default today by the local clock), BENCH_ACK_DIR (optional:
-- each thread writes there, in acked.N, the id of every activity whose 201
-- it received, for the check that no acknowledged write is missing),
-- BENCH_IDEMPOTENCY (1: each request carries a new Idempotency-Key, as
-- offline sync sends them).
--
-- At the end it prints one line, read by bench/writes.sh:
--   statuses: 201=N other_2xx=N non_2xx=N no_id=N
-- (no_id: 201 responses whose body did not start with {"id":"…"}).

local token = os.getenv("BENCH_TOKEN")
if not token or token == "" then
	error("post_activity.lua: set BENCH_TOKEN to a bearer token")
end
local date = os.getenv("BENCH_DATE") or os.date("%Y-%m-%d")
local ack_dir = os.getenv("BENCH_ACK_DIR")
local keyed = os.getenv("BENCH_IDEMPOTENCY") == "1"
-- Keys differ between runs (the warm-up, then the measure) and threads.
local run = tostring(os.time()) .. "-" .. tostring(math.random(1, 1000000000))
local headers = {
	["Authorization"] = "Bearer " .. token,
	["Content-Type"] = "application/json",
}
local body_fmt = '{"date":"' .. date .. '","type":"contact_informel","place":"parc",'
	.. '"duration_min":%d,"counts":{"adults":%d,"children_0_5":%d},"needs":["isolement"]}'

-- Main state: the threads, to add up their counts in done().
local threads = {}
function setup(thread)
	thread:set("tid", #threads + 1)
	table.insert(threads, thread)
end

-- Thread states. Globals, so that done() can read them with thread:get().
tid = 0
n201, nother, nfail, noid = 0, 0, 0, 0
local sent = 0
local ack = nil

function init(args)
	if ack_dir and ack_dir ~= "" then
		ack = assert(io.open(ack_dir .. "/acked." .. tid, "w"))
		ack:setvbuf("full", 65536) -- flushed when wrk exits
	end
end

function request()
	sent = sent + 1
	local k = sent * 7 + tid
	if keyed then
		headers["Idempotency-Key"] = "bench-" .. run .. "-" .. tid .. "-" .. sent
	end
	return wrk.format("POST", nil, headers,
		string.format(body_fmt, 5 + k % 116, 1 + k % 5, k % 3))
end

function response(status, hdrs, body)
	if status == 201 then
		n201 = n201 + 1
		local id = body and body:match('^{"id":"([^"]+)"')
		if not id then
			noid = noid + 1
		elseif ack then
			ack:write(id, "\n")
		end
	elseif status >= 200 and status < 300 then
		nother = nother + 1
	else
		nfail = nfail + 1
		if nfail <= 3 then
			io.stderr:write(string.format("post_activity.lua: status %d: %s\n", status,
				string.sub(body or "", 1, 300)))
		end
	end
end

function done(summary, latency, requests)
	local a, o, f, n = 0, 0, 0, 0
	for _, t in ipairs(threads) do
		a = a + t:get("n201")
		o = o + t:get("nother")
		f = f + t:get("nfail")
		n = n + t:get("noid")
	end
	io.write(string.format("statuses: 201=%d other_2xx=%d non_2xx=%d no_id=%d\n", a, o, f, n))
end
