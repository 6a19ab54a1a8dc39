#!/usr/bin/env python3
"""answer_size.py: the measuring half of tests/bench/answer_size.sh (see that script and README.md).

For each list size it starts a fresh graphgate (one thread, database.log_sql on), sends the
listPosts query with the posts' comments over one keep-alive HTTP/1.1 connection, one request at a
time, and reads the graphgate process's CPU time around the first requests (fresh server) and
around a later run of requests (warm). Then pgbench runs the SQL that graphgate logged for that
query, with one client, as the baseline of the same run (PostgreSQL's CPU per transaction).

CPU time is the sum over the process's threads of /proc/PID/task/TID/schedstat (nanoseconds on a
CPU: the same quantity as utime+stime of /proc/PID/stat, without its 10 ms tick granularity, which
a run of 40 small requests would not resolve); utime+stime is read too and printed for the warm
runs as a cross-check. Minor page faults come from /proc/PID/stat (minflt).
"""
import http.client
import json
import os
import re
import subprocess
import sys
import time

import proc_cpu

def proc_cpu_ns(pid):
    total = 0
    for tid in os.listdir('/proc/%d/task' % pid):
        try:
            with open('/proc/%d/task/%s/schedstat' % (pid, tid)) as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total


def proc_stat(pid):
    """(utime+stime in ns, minor faults) of the whole process."""
    return proc_cpu.process_ns(pid), int(proc_cpu.stat_fields(pid)[7])


def query_for(items):
    return ('query Answer { listPosts(limit: %d) { items { id title body '
            'comments { items { id body author createdAt } } } } }' % items)


class Client:
    def __init__(self, port):
        self.conn = http.client.HTTPConnection('127.0.0.1', port)

    def ask(self, body):
        self.conn.request('POST', '/graphql', body, {'content-type': 'application/json'})
        r = self.conn.getresponse()
        data = r.read()
        if r.status != 200:
            sys.exit('answer_size.py: HTTP %d: %s' % (r.status, data[:500]))
        return data


def wait_ready(port, proc, log):
    for _ in range(200):
        if proc.poll() is not None:
            sys.exit('answer_size.py: graphgate exited:\n' + open(log).read())
        try:
            c = http.client.HTTPConnection('127.0.0.1', port, timeout=1)
            c.request('GET', '/readyz')
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.05)
    sys.exit('answer_size.py: graphgate not ready:\n' + open(log).read())


def measure(client, pid, body, count):
    """Sends body count times; returns (cpu ns, stat ns, minor faults, answer bytes)."""
    cpu0 = proc_cpu_ns(pid)
    st0, flt0 = proc_stat(pid)
    size = 0
    for _ in range(count):
        size = len(client.ask(body))
    cpu1 = proc_cpu_ns(pid)
    st1, flt1 = proc_stat(pid)
    return cpu1 - cpu0, st1 - st0, flt1 - flt0, size


def main():
    cfg = json.loads(sys.argv[1])
    cfg['port'] = proc_cpu.free_port()
    cfg['client_cpu'] = 1 if (os.cpu_count() or 1) > 1 else 0
    sizes = [int(s) for s in cfg['sizes'].split()]
    port = cfg['port']
    conf = os.path.join(cfg['tmp'], 'graphgate.json')
    with open(conf, 'w') as f:
        json.dump({'listen': '127.0.0.1:%d' % port, 'threads': 1, 'access_log': False,
                   'schema': [cfg['schema']], 'database': {'pool_size': 1, 'log_sql': True}}, f)

    def start(name):
        log = os.path.join(cfg['tmp'], 'graphgate-%s.log' % name)
        with open(log, 'w') as logf:
            proc = subprocess.Popen(['taskset', '-c', str(cfg['server_cpu']), cfg['graphgate'], '-c', conf],
                                    stderr=logf, env=dict(os.environ, GRAPHGATE_DATABASE_URL=cfg['db_url'], GRAPHGATE_AUTH_DEFAULT_MODE='NONE'))
        wait_ready(port, proc, log)
        return proc, log

    def stop(proc):
        proc.terminate()
        proc.wait()

    # 1. fresh servers, one per size: the first requests; the answer must be complete and free of
    # errors, or the numbers mean nothing; the SQL comes from the log (database.log_sql)
    rows = []
    for items in sizes:
        body = json.dumps({'query': query_for(items)}).encode()
        proc, log = start(items)
        try:
            client = Client(port)
            fresh = measure(client, proc.pid, body, cfg['fresh'])
            answer = json.loads(client.ask(body))
        finally:
            stop(proc)
        got = answer.get('data', {}).get('listPosts', {}).get('items', [])
        if answer.get('errors') or len(got) != items:
            sys.exit('answer_size.py: %d items: bad answer: %s' % (items, json.dumps(answer)[:500]))
        sql = None
        for line in open(log):
            m = re.match(r'graphgate: sql: (.*)$', line)
            if m:
                sql = m.group(1)
        if sql is None:
            sys.exit('answer_size.py: no SQL in the log (database.log_sql)')
        # warm rounds: at least the given count, and at least warm_bytes of answers
        count = max(cfg['requests'], cfg['warm_bytes'] // max(fresh[3], 1))
        rows.append({'items': items, 'body': body, 'bytes': fresh[3], 'fresh': fresh, 'fresh_n': cfg['fresh'],
                     'sql': sql, 'warm': None, 'warm_n': count})
        print('  %4d items: %7.1f KB; fresh server: %d requests' % (items, fresh[3] / 1024, cfg['fresh']),
              flush=True)

    # 2. one warm server, the sizes taking turns round after round (so that a change of load on the
    # machine touches every size alike); the cheapest round of each size counts (load only adds)
    proc, log = start('warm')
    try:
        client = Client(port)
        for r in rows:
            measure(client, proc.pid, r['body'], cfg['fresh'])  # warm-up
        for round_number in range(cfg['rounds']):
            for r in rows:
                m = measure(client, proc.pid, r['body'], r['warm_n'])
                if r['warm'] is None or m[0] < r['warm'][0]:
                    r['warm'] = m
            print('  warm round %d of %d done' % (round_number + 1, cfg['rounds']), flush=True)
    finally:
        stop(proc)

    # 3. pgbench: the same SQL, one client, as many transactions as one warm round of graphgate
    for r in rows:
        sql_file = os.path.join(cfg['tmp'], 'answer-%d.sql' % r['items'])
        with open(sql_file, 'w') as f:
            f.write(r['sql'] + ';\n')
        pg0 = proc_cpu.pg_ns(cfg['postmaster'])
        out = subprocess.run(['taskset', '-c', str(cfg['client_cpu']), cfg['pgbench'], '-n', '-M', 'prepared',
                              '-c', '1', '-j', '1', '-t', str(r['warm_n']), '-f', sql_file,
                              '-h', '127.0.0.1', '-p', str(cfg['pg_port']), '-U', cfg['pg_user'], cfg['pg_db']],
                             capture_output=True, text=True)
        if out.returncode != 0:
            sys.exit('answer_size.py: pgbench failed: ' + out.stdout + out.stderr)
        time.sleep(0.3)  # let the backend exit, so that its CPU is in the postmaster's cutime
        r['pg'] = proc_cpu.pg_ns(cfg['postmaster']) - pg0
        r['pg_n'] = r['warm_n']
    print('  pgbench done', flush=True)

    def us(ns, n):
        return ns / n / 1000

    # the fixed cost of a request: the first size (a 1-item list); marginal per-KB cost of a size:
    # (its CPU per request - the fixed cost) / (its KB - the fixed size's KB)
    ref = rows[0]
    ref_kb = ref['bytes'] / 1024
    ref_req = us(ref['warm'][0], ref['warm_n'])
    head = ('%6s %7s | %8s %7s %6s | %8s %7s %8s %7s %7s %7s | %8s %7s %6s')
    print()
    print(head % ('items', 'answer', 'fresh', 'fresh', 'fresh/', 'warm', 'warm', 'marginal', 'ratio',
                  'stat', 'faults', 'pgbench', 'PG', 'gg/PG'))
    print(head % ('', 'KB', 'us/req', 'us/KB', 'warm', 'us/req', 'us/KB', 'us/KB', '', 'us/KB', '/req',
                  'us/txn', 'us/KB', 'CPU'))
    marginal = {}
    for r in rows:
        kb = r['bytes'] / 1024
        f_req = us(r['fresh'][0], r['fresh_n'])
        w_req = us(r['warm'][0], r['warm_n'])
        if r is not ref:
            marginal[r['items']] = (w_req - ref_req) / (kb - ref_kb)
    first = rows[1]['items'] if len(rows) > 1 else None
    for r in rows:
        kb = r['bytes'] / 1024
        f_req = us(r['fresh'][0], r['fresh_n'])
        w_req = us(r['warm'][0], r['warm_n'])
        pg_req = us(r['pg'], r['pg_n'])
        m = marginal.get(r['items'])
        cells = (r['items'], kb, f_req, f_req / kb, f_req / w_req, w_req, w_req / kb,
                 '%.2f' % m if m is not None else 'fixed',
                 '%.2fx' % (m / marginal[first]) if m is not None else '',
                 us(r['warm'][1], r['warm_n']) / kb, r['warm'][2] / r['warm_n'], pg_req, pg_req / kb,
                 w_req / pg_req if pg_req else 0)
        print('%6d %7.1f | %8.1f %7.2f %5.2fx | %8.1f %7.2f %8s %7s %7.2f %7.1f | %8.1f %7.2f %5.2fx' % cells)
    print()
    if first is not None:
        # the cliff this benchmark watches for: a larger answer costing more per KB than a smaller
        # one. Raw per-KB cost (fixed cost included), the largest rise from any size to a larger one:
        per_kb = [us(r['warm'][0], r['warm_n']) / (r['bytes'] / 1024) for r in rows[1:]]
        rise = max(per_kb[j] / per_kb[i] for i in range(len(per_kb)) for j in range(i, len(per_kb)))
        print('graphgate CPU per KB, %d items / %d items: %.2fx; the largest rise of the per-KB cost from a '
              'size to a larger one: %.2fx (target: at most 1.15x)' % (
                  rows[-1]['items'], first, per_kb[-1] / per_kb[0], rise))
        big = [marginal[r['items']] for r in rows if r['bytes'] >= 50 * 1024]
        if big:
            print('marginal CPU per KB (over the %d-item request\'s %.0f us) from 50 KB up: %.2f to %.2f us/KB, '
                  'spread %.2fx (below 50 KB the fixed cost hides it on a shared machine)' % (
                      ref['items'], ref_req, min(big), max(big), max(big) / min(big)))
    print('fresh = the first %d requests of a new server; warm = the cheapest of %d rounds on one server, sizes taking turns;'
          ' PG = PostgreSQL running the logged SQL under pgbench -M prepared, one client' % (cfg['fresh'], cfg['rounds']))


if __name__ == '__main__':
    main()
