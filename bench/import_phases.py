#!/usr/bin/env python3
"""The phases of one `proxima import` (run by hand; not part of the tests).

    bench/import_phases.py PATH-TO-PROXIMA FILE.jsonl

Initialises a fresh SQLite database in a temporary directory, imports FILE
into it under a pseudo-terminal (so the import shows its progress line) and
prints, from the moments the line announces each stage: the time reading
and writing the lines, the aggregates written at the end, the indexes set
aside built again plus the commit, the total, and the CPU time of the
import. Use bench/import.sh (BENCH_KEEP=1) to make FILE; run two binaries
on the same file, one after the other, to compare them in the same run.
"""
import os
import pty
import shutil
import subprocess
import sys
import tempfile
import time


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    binary, data = sys.argv[1], sys.argv[2]
    d = tempfile.mkdtemp(prefix="proxima-import-phases.")
    try:
        db = os.path.join(d, "t.db")
        subprocess.run([binary, "init", "--db", db], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True)
        t0 = time.monotonic()
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(binary, [binary, "import", "--db", db, data])
        marks = {}
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            for stage in (b"aggregates", b"indexes"):
                if stage in chunk and stage not in marks:
                    marks[stage] = time.monotonic() - t0
        _, status, ru = os.wait4(pid, 0)
        end = time.monotonic() - t0
        a = marks.get(b"aggregates", end)
        i = marks.get(b"indexes", end)
        print("lines %.2f s  aggregates %.2f s  indexes+commit %.2f s  total %.2f s  "
              "cpu %.2f s (user %.2f sys %.2f)  exit %d"
              % (a, i - a, end - i, end, ru.ru_utime + ru.ru_stime, ru.ru_utime,
                 ru.ru_stime, os.waitstatus_to_exitcode(status)))
    finally:
        shutil.rmtree(d)


main()
