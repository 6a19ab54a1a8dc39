#!/usr/bin/env python3
"""startup.py: time from process start to the first 200 of /readyz, next to a baseline process
and, optionally, a floor process.

Usage: startup.py REPEATS PORT BASELINE_CMD [-- FLOOR_CMD] -- SERVER_CMD...
(the server's environment is this process's; it must listen on 127.0.0.1:PORT).

Each repetition runs the baseline command to its end (the cost of starting any process here: fork,
exec, the dynamic loader), then the floor command when given (run to its end the same way: for
graphgate, a libpq client that connects to the database and runs one query, the least any process
that must reach PostgreSQL once before it is ready can take), and then starts the server, asking GET /readyz on a new connection every
0.2 ms until it answers 200; the time is taken from just before the server's fork. The server is
then stopped with SIGTERM and waited for (a non-zero exit is reported). They take turns, so a
loaded machine disturbs them alike. Prints every time and the medians in milliseconds (baseline,
server, then floor when given)."""
import os
import signal
import socket
import statistics
import subprocess
import sys
import time


def ready(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"GET /readyz HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
            return s.recv(16).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def time_baseline(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return (time.perf_counter() - start) * 1e3


def time_server(cmd, port, log):
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log)
    while not ready(port):
        if proc.poll() is not None:
            sys.exit(f"startup.py: the server exited with {proc.returncode} before /readyz answered 200")
        if time.perf_counter() - start > 30:
            proc.kill()
            sys.exit("startup.py: /readyz did not answer 200 within 30 s")
        time.sleep(0.0002)
    elapsed = (time.perf_counter() - start) * 1e3
    proc.send_signal(signal.SIGTERM)
    if proc.wait(timeout=30) != 0:
        sys.exit(f"startup.py: the server exited with {proc.returncode} after SIGTERM")
    return elapsed


def main():
    repeats, port = int(sys.argv[1]), int(sys.argv[2])
    splits = [i for i, arg in enumerate(sys.argv) if arg == "--"]
    if len(splits) not in (1, 2):
        sys.exit("usage: startup.py REPEATS PORT BASELINE_CMD [-- FLOOR_CMD] -- SERVER_CMD...")
    baseline_cmd, server_cmd = sys.argv[3:splits[0]], sys.argv[splits[-1] + 1:]
    floor_cmd = sys.argv[splits[0] + 1:splits[1]] if len(splits) == 2 else None
    base, floor, server = [], [], []
    with open(os.environ.get("STARTUP_LOG", os.devnull), "w") as log:
        for _ in range(repeats):
            base.append(time_baseline(baseline_cmd))
            if floor_cmd:
                floor.append(time_baseline(floor_cmd))
            server.append(time_server(server_cmd, port, log))
    fmt = lambda xs: " ".join(f"{x:.1f}" for x in xs)
    print(f"baseline runs (ms): {fmt(base)}")
    if floor_cmd:
        print(f"floor runs (ms):    {fmt(floor)}")
    print(f"server runs (ms):   {fmt(server)}")
    medians = [statistics.median(base), statistics.median(server)] + ([statistics.median(floor)] if floor_cmd else [])
    print("median " + " ".join(f"{m:.2f}" for m in medians))


main()
