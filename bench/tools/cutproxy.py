#!/usr/bin/env python3
"""Cutting TCP proxy: listens on 127.0.0.1:LISTEN, forwards to 127.0.0.1:TARGET, and cuts each connection (closes
both sides) once the server has sent a random number of bytes between --min-mb and --max-mb, as flaky links, proxies
and servers with per-session limits do. Deterministic: connection n gets the n-th draw of random.Random(--seed).
Bounded: --max-seconds (default 3600) ends it; SIGTERM/SIGINT end it at once. One line per connection goes to
--log (connection number, budget, bytes from the server, cut or closed). 127.0.0.1 only.

  bench/tools/cutproxy.py --listen 10145 --target 10143 --min-mb 2 --max-mb 40 --seed 1 --log cuts.log
"""
import argparse, random, signal, socket, sys, threading, time

ap = argparse.ArgumentParser()
ap.add_argument("--listen", type=int, required=True)
ap.add_argument("--target", type=int, required=True)
ap.add_argument("--min-mb", type=float, default=2)
ap.add_argument("--max-mb", type=float, default=40)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--log", required=True)
ap.add_argument("--max-seconds", type=float, default=3600)
a = ap.parse_args()

draws = random.Random(a.seed)
lock = threading.Lock()
log = open(a.log, "a", buffering=1)
count = 0


def close(*socks):
    for s in socks:
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        s.close()


def relay(n, client, budget):
    server = socket.create_connection(("127.0.0.1", a.target), timeout=30)
    server.settimeout(None)
    down = [0]
    cut = [False]

    def up():
        try:
            while True:
                b = client.recv(65536)
                if not b:
                    break
                server.sendall(b)
        except OSError:
            pass
        finally:
            close(client, server)

    t = threading.Thread(target=up, daemon=True)
    t.start()
    try:
        while True:
            b = server.recv(min(262144, budget - down[0]))
            if not b:
                break
            client.sendall(b)
            down[0] += len(b)
            if down[0] >= budget:
                cut[0] = True
                break
    except OSError:
        pass
    finally:
        close(client, server)
        t.join(5)
    log.write(f"{time.strftime('%H:%M:%S')} connection {n}: budget {budget} B, {down[0]} B from the server, "
              f"{'cut' if cut[0] else 'closed'}\n")


def stop(*_):
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", a.listen))
ls.listen(16)
ls.settimeout(1.0)
deadline = time.monotonic() + a.max_seconds
while time.monotonic() < deadline:
    try:
        c, _ = ls.accept()
    except socket.timeout:
        continue
    with lock:
        count += 1
        n = count
        budget = int(draws.uniform(a.min_mb, a.max_mb) * 1_000_000)
    threading.Thread(target=relay, args=(n, c, budget), daemon=True).start()
