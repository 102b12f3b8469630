#!/usr/bin/env python3
"""speedscope_busy.py TRACE.speedscope.json [N]

Where a .NET process spent its *running* thread time, from a `dotnet-trace collect --profile
dotnet-sampled-thread-time` trace converted with `dotnet-trace convert --format Speedscope`.
The sample profiler samples every managed thread, waiting or not; this drops the time whose innermost
frame is a wait (semaphores, Monitor.Wait, WaitHandle, spin-waits, Sleep) and reports, for the rest:
  - the top N frames by inclusive busy time (share of all busy time),
  - busy time grouped into coarse buckets by the first matching frame from the leaf up.
Used by hand for bench/RESULTS.md's investigation notes; not part of the measured run."""
import collections, json, re, sys

path = sys.argv[1]
topn = int(sys.argv[2]) if len(sys.argv) > 2 else 40
d = json.load(open(path))
frames = [f["name"] for f in d["shared"]["frames"]]
WAIT = re.compile(r"WaitForSignal|WaitNative|WaitOneNoCheck|Monitor\.Wait|LowLevelSpinWaiter|LowLevelLifoSemaphore\.Wait|"
                  r"Thread\.Sleep|SpinWait|WaitHandle\.Wait|Interop\+Sys\.(Poll|WaitForSocketEvents)|epoll|"
                  r"SocketAsyncEngine\.EventLoop|WaitSubsystem|Thread\.Join")
PSEUDO = {"UNMANAGED_CODE_TIME", "CPU_TIME"}   # speedscope pseudo-leaves: in native code / running managed code
IDLE = re.compile(r"GateThreadStart|TimerQueue\.TimerThread|SocketAsyncEngine\.EventLoop|ConsoleLoggerProcessor\.TryDequeue|"
                  r"WaitForSocketEvents|Interop\+Sys\.(Read|Poll)|FinalizerThread|SpinThenBlockingWait")
BUCKETS = [  # (name, regex on a frame), checked from the leaf frame upwards; the first hit wins
    ("GC / allocation", re.compile(r"GC\.|PollGC|Gen2GcCallback|Finalize\(\)|AllocateNewArray|GCHeap")),
    ("SHA-256", re.compile(r"SHA256|HashProvider|OneShotHash")),
    ("SQLite: native step (sqlite3_step)", re.compile(r"sqlite3_step")),
    ("SQLite: bind/prepare/ADO.NET", re.compile(r"Sqlite|SQLitePCL|sqlite3_")),
    ("EF Core / storage code", re.compile(r"EntityFrameworkCore|Mailroom\.Storage|BatchSql|MessageBatchWriter|EfMessageStore")),
    ("Mailroom parse/normalize (Mailroom.Core.Messages)", re.compile(r"Mailroom\.Core\.Messages|MessageNormalizer|ContentSizer|"
                                                                     r"HtmlText|TextDecoder|HeaderReader|PartWalker|Calendar|"
                                                                     r"NormalizationSession|BodySelector|MessageIds|Charsets")),
    ("MimeKit parser", re.compile(r"MimeKit")),
    ("MailKit IMAP read/fetch", re.compile(r"MailKit|ImapStream|ImapEngine|ImapFolder")),
    ("sockets / streams", re.compile(r"NetworkStream|Socket|SslStream")),
    ("memory copies", re.compile(r"Memmove|Buffer\.|MemoryStream")),
    ("pipeline (Mailroom.Core.Sync)", re.compile(r"Mailroom\.Core\.Sync|FolderFetchPipeline|MailboxSync|Channel")),
    ("startup / DI / config / JIT", re.compile(r"DependencyInjection|Configuration|Hosting|JIT|TieredCompilation|InitClass|"
                                               r"Reflection|DynamicMethod|CommandLine")),
]

incl = collections.Counter()
bucket = collections.Counter()
busy_total = wait_total = 0.0
for p in d["profiles"]:
    if p.get("type") != "evented":
        continue
    stack, last = [], None
    for ev in p["events"]:
        t = ev["at"]
        if last is not None and stack and t > last:
            dt = t - last
            real = [i for i in stack if frames[i] not in PSEUDO]
            leaf = frames[real[-1]] if real else frames[stack[-1]]
            if WAIT.search(leaf) or any(IDLE.search(frames[i]) for i in real[-3:]):
                wait_total += dt
            else:
                busy_total += dt
                for name in {frames[i] for i in stack}:
                    incl[name] += dt
                for i in reversed(real):
                    f = frames[i]
                    hit = next((b for b, rx in BUCKETS if rx.search(f)), None)
                    if hit:
                        bucket[hit] += dt
                        break
                else:
                    bucket["other: " + leaf[:60]] += dt
        last = t
        if ev["type"] == "O":
            stack.append(ev["frame"])
        elif stack:
            stack.pop()

unit = d["profiles"][0].get("unit", "milliseconds")
scale = 1000.0 if unit == "milliseconds" else 1.0
print("busy thread time %.1f s, waiting %.1f s (unit %s)" % (busy_total / scale, wait_total / scale, unit))
print("\n== busy time by bucket (first matching frame from the leaf up)")
for b, v in bucket.most_common(25):
    print("%6.1f%%  %7.2f s  %s" % (100 * v / busy_total, v / scale, b))
print("\n== top %d frames by inclusive busy time" % topn)
for name, v in incl.most_common(topn):
    print("%6.1f%%  %7.2f s  %s" % (100 * v / busy_total, v / scale, name[:150]))
