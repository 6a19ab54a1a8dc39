#!/usr/bin/env python3
"""proc_cpu.py: CPU time of processes from /proc, for the benchmarks (pg.sh, answer_size.py).

    proc_cpu.py pg POSTMASTER_PID    microseconds used so far by a PostgreSQL cluster: utime+stime of
                                     the postmaster and of its live children, plus the postmaster's
                                     cutime+cstime (the children that exited)
    proc_cpu.py process PID          microseconds of utime+stime of one process (all its threads)
    proc_cpu.py free-port            a free TCP port on 127.0.0.1
"""
import os
import socket
import sys

TICK = os.sysconf('SC_CLK_TCK')


def stat_fields(pid):
    """The fields of /proc/PID/stat after the command name: f[k - 3] is field k of proc(5)."""
    with open('/proc/%s/stat' % pid) as f:
        s = f.read()
    return s[s.rindex(')') + 2:].split()


def process_ns(pid):
    """utime+stime of one process, in nanoseconds (10 ms ticks)."""
    f = stat_fields(pid)
    return (int(f[11]) + int(f[12])) * 1000000000 // TICK


def pg_ns(postmaster):
    """utime+stime of every process of the cluster, exited children included, in nanoseconds."""
    total = 0
    for p in os.listdir('/proc'):
        if not p.isdigit():
            continue
        try:
            f = stat_fields(p)
        except OSError:
            continue
        if int(p) == postmaster:
            total += int(f[11]) + int(f[12]) + int(f[13]) + int(f[14])
        elif int(f[1]) == postmaster:
            total += int(f[11]) + int(f[12])
    return total * 1000000000 // TICK


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


if __name__ == '__main__':
    if sys.argv[1:2] == ['pg']:
        print(pg_ns(int(sys.argv[2])) // 1000)
    elif sys.argv[1:2] == ['process']:
        print(process_ns(int(sys.argv[2])) // 1000)
    elif sys.argv[1:2] == ['free-port']:
        print(free_port())
    else:
        sys.exit(__doc__)
