// The browser tests' report, one line a check: "ok - NAME" or
// "not ok - NAME: REASON", then "RESULT passed failed" (read by run.sh),
// and exit status 1 when a check failed.
const tally = { passed: 0, failed: 0 };

// Runs fn as the check NAME; a throw fails it with its first line.
export async function check(name, fn) {
  try {
    await fn();
    tally.passed++;
    console.log(`ok - ${name}`);
  } catch (e) {
    tally.failed++;
    console.log(`not ok - ${name}: ${(e && e.message ? e.message : String(e)).split("\n")[0]}`);
  }
}

// Fails the current check with msg unless cond holds.
export function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}

// A failure outside any check (the browser would not start, …).
export function fail(name, e) {
  tally.failed++;
  console.log(`not ok - ${name}: ${e && e.message ? e.message : e}`);
}

// Prints the RESULT line and exits.
export function finish() {
  console.log(`RESULT ${tally.passed} ${tally.failed}`);
  process.exit(tally.failed ? 1 : 0);
}
