-- wrk script for bench/run.sh: each connection waits BENCH_PACE_MS
-- milliseconds (default 10) after a response before sending its next
-- request, so the offered load stays below saturation and the latency
-- measured is the service time, not the queue that a closed loop of
-- always-busy connections builds up.
local pace = tonumber(os.getenv("BENCH_PACE_MS") or "10") or 10

function delay()
	return pace
end
