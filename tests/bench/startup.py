#!/usr/bin/env python3
"""startup.py: time from process start to the first 200 of /readyz, next to a baseline process.

Usage: startup.py REPEATS PORT BASELINE_CMD -- SERVER_CMD...
(the server's environment is this process's; it must listen on 127.0.0.1:PORT).

Each repetition runs the baseline command to its end (the cost of starting any process here: fork,
exec, the dynamic loader) and then starts the server, asking GET /readyz on a new connection every
0.2 ms until it answers 200; the time is taken from just before the server's fork. The server is
then stopped with SIGTERM and waited for (a non-zero exit is reported). The two take turns, so a
loaded machine disturbs both alike. Prints every time and the medians in milliseconds."""
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
    split = sys.argv.index("--")
    baseline_cmd, server_cmd = sys.argv[3:split], sys.argv[split + 1:]
    base, server = [], []
    with open(os.environ.get("STARTUP_LOG", os.devnull), "w") as log:
        for _ in range(repeats):
            base.append(time_baseline(baseline_cmd))
            server.append(time_server(server_cmd, port, log))
    fmt = lambda xs: " ".join(f"{x:.1f}" for x in xs)
    print(f"baseline runs (ms): {fmt(base)}")
    print(f"server runs (ms):   {fmt(server)}")
    print(f"median {statistics.median(base):.2f} {statistics.median(server):.2f}")


main()
