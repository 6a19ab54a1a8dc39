#!/usr/bin/env python3
"""startup.py: time from process start to the first 200 of /readyz, next to a baseline process
and, optionally, a floor process.

Usage: startup.py REPEATS PORT BASELINE_CMD [-- FLOOR_CMD] -- SERVER_CMD...
(the server's environment is this process's; it must listen on 127.0.0.1:PORT; STARTUP_CLOCK names
the startup_clock program (tests/bench/startup_clock.c), STARTUP_LOG the file for the server's stderr).

Each repetition runs the baseline command to its end (the cost of starting any process here: fork,
exec, the dynamic loader), then the floor command when given (run to its end the same way: for
graphgate, a libpq client that connects to the database and runs one query, the least any process
that must reach PostgreSQL once before it is ready can take), and then starts the server, asking
GET /readyz on a new connection every 0.2 ms until it answers 200; the time is taken from just
before the server's spawn to the 200 received. The server is then stopped with SIGTERM and waited
for (a non-zero exit is reported). All three are spawned and timed by startup_clock, in C: the
poller shares the two cores with the start it measures, and a Python poller took about twice its
CPU per attempt. They take turns, so a loaded machine disturbs them alike. Prints every time and
the medians in milliseconds (baseline, server, then floor when given), and the poller's CPU per
start."""
import os
import statistics
import subprocess
import sys

CLOCK = os.environ.get("STARTUP_CLOCK", "startup_clock")


def clock(args):
    """startup_clock's numbers; its own message and exit when it fails."""
    done = subprocess.run([CLOCK] + args, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"startup.py: startup_clock {args[0]} failed (exit {done.returncode})")
    return [float(x) for x in done.stdout.split()]


def time_baseline(cmd):
    return clock(["run"] + cmd)[0]


def time_server(cmd, port, log):
    """(milliseconds to the first 200, the poller's CPU milliseconds, its attempts)"""
    return clock(["ready", str(port), log] + cmd)


def main():
    repeats, port = int(sys.argv[1]), int(sys.argv[2])
    splits = [i for i, arg in enumerate(sys.argv) if arg == "--"]
    if len(splits) not in (1, 2):
        sys.exit("usage: startup.py REPEATS PORT BASELINE_CMD [-- FLOOR_CMD] -- SERVER_CMD...")
    baseline_cmd, server_cmd = sys.argv[3:splits[0]], sys.argv[splits[-1] + 1:]
    floor_cmd = sys.argv[splits[0] + 1:splits[1]] if len(splits) == 2 else None
    base, floor, server, poller_cpu, attempts = [], [], [], [], []
    log = os.environ.get("STARTUP_LOG", os.devnull)
    if log != os.devnull:
        open(log, "w").close()  # startup_clock appends every start's stderr
    for _ in range(repeats):
        base.append(time_baseline(baseline_cmd))
        if floor_cmd:
            floor.append(time_baseline(floor_cmd))
        elapsed, cpu, tries = time_server(server_cmd, port, log)
        server.append(elapsed)
        poller_cpu.append(cpu)
        attempts.append(tries)
    fmt = lambda xs: " ".join(f"{x:.1f}" for x in xs)
    print(f"baseline runs (ms): {fmt(base)}")
    if floor_cmd:
        print(f"floor runs (ms):    {fmt(floor)}")
    print(f"server runs (ms):   {fmt(server)}")
    print(f"poller per start: {statistics.median(attempts):.0f} attempts, {statistics.median(poller_cpu):.2f} ms CPU (medians)")
    medians = [statistics.median(base), statistics.median(server)] + ([statistics.median(floor)] if floor_cmd else [])
    print("median " + " ".join(f"{m:.2f}" for m in medians))


main()
