"""`make bench`: scripted patient conversations against (a) one Rasa + SQLite and (b) the cluster.

An asyncio/aiohttp load generator on loopback. Each virtual patient runs one scripted conversation
after another (new sender id each time): greeting, condition, the screening questions answered "no"
(buttons or typed), one treatment question. Two load levels per setup:

* `patients` (default 20) with think time (default 1 s between turns, a hurried patient): the
  latency target, p95 <= 150 ms, is for this level;
* `saturation` (default 24) with no think time: the throughput the setup can sustain.

Both setups run side by side and their saturation windows alternate (`--rounds`, default 4, order
swapped every round): this shared 2-core machine's speed drifts by up to 1.8x within minutes, and
measuring one setup minutes after the other made the ratio swing between 1.1x and 1.6x. The ratio is
total turns over total measured time per setup; each round's ratio is printed too.

Prints turns/s, p50/p95/p99 turn latency, errors, CPU and RSS of every server process, and the
cluster/single throughput ratio at saturation. `--json FILE` writes the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
import psutil  # noqa: E402

from bot import settings  # noqa: E402

NECK = ["Hej", "/describe_neck_pain", *["/deny"] * 6, "Kan en kiropraktor hjælpe på min nakke?"]
NECK_TYPED = ["Hej med dig", "Jeg har fået ondt i nakken for en uge siden", "nej", "/deny", "nej", "/deny",
              "nej det har jeg ikke", "/deny", "Hjælper massage?"]
RADIC = ["Hej", "/describe_leg_pain", *["/deny"] * 6, "Skal jeg have en MR-scanning?"]
RADIC_TYPED = ["Goddag", "Jeg har iskias og smerter ned i benet", "nej", "/deny", "nej", "/deny", "nej",
               "/deny", "Skal jeg opereres?"]
SCRIPTS = [NECK, NECK_TYPED, RADIC, RADIC_TYPED]


@dataclass
class Result:
    """One load level against one setup."""

    setup: str
    level: str
    concurrency: int
    think_s: float
    duration_s: float
    turns: int = 0
    conversations: int = 0
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    turns_per_s: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    cpu_percent: dict[str, float] = field(default_factory=dict)
    rss_mb: dict[str, float] = field(default_factory=dict)
    rounds: list[float] = field(default_factory=list)  # turns/s of each saturation window
    latencies_ms: list[float] = field(default_factory=list, repr=False)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def process_tree(pids: dict[str, int]) -> dict[str, list[psutil.Process]]:
    """Each named server with its children (PostgreSQL backends, nginx workers)."""
    tree: dict[str, list[psutil.Process]] = {}
    for name, pid in pids.items():
        with contextlib.suppress(psutil.Error):
            proc = psutil.Process(pid)
            tree[name] = [proc, *proc.children(recursive=True)]
    return tree


def rss_mb(tree: dict[str, list[psutil.Process]]) -> dict[str, float]:
    result = {}
    for name, procs in tree.items():
        total = 0
        for proc in procs:
            with contextlib.suppress(psutil.Error):
                total += proc.memory_info().rss
        result[name] = round(total / 2**20, 1)
    return result


def cpu_seconds(tree: dict[str, list[psutil.Process]]) -> dict[str, float]:
    result = {}
    for name, procs in tree.items():
        total = 0.0
        for proc in procs:
            with contextlib.suppress(psutil.Error):
                t = proc.cpu_times()
                total += t.user + t.system
        result[name] = total
    return result


class Load:
    """Closed-loop virtual patients; latencies recorded only inside the measuring window."""

    def __init__(self, url: str, failure_text: str, seed: int = 1) -> None:
        self.url = f"{url}/webhooks/rest/webhook"
        self.failure_text = failure_text
        self.random = random.Random(seed)
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}
        self.conversations = 0
        self.measuring = False

    def _error(self, kind: str) -> None:
        if self.measuring:
            self.errors[kind] = self.errors.get(kind, 0) + 1

    async def turn(self, session: aiohttp.ClientSession, sender: str, text: str) -> bool:
        start = time.perf_counter()
        try:
            async with session.post(self.url, json={"sender": sender, "message": text},
                                    headers={"X-Sender-Id": sender}) as resp:
                body = await resp.read()
                status = resp.status
        except (TimeoutError, aiohttp.ClientError) as exc:
            self._error(type(exc).__name__)
            return False
        elapsed = time.perf_counter() - start
        if status != 200:
            self._error(f"HTTP {status}")
            return False
        try:
            replies = json.loads(body)
        except ValueError:
            self._error("bad JSON")
            return False
        if not replies:
            self._error("empty reply")
        elif any(r.get("text") == self.failure_text for r in replies):
            self._error("action failure")
        if self.measuring:
            self.latencies.append(elapsed)
        return True

    async def patient(self, session: aiohttp.ClientSession, think: float, stop_at: float) -> None:
        while time.monotonic() < stop_at:
            script = self.random.choice(SCRIPTS)
            sender = f"bench-{uuid.uuid4().hex}"
            for text in script:
                if time.monotonic() >= stop_at:
                    return
                if not await self.turn(session, sender, text):
                    break
                if think:
                    await asyncio.sleep(self.random.uniform(0.5 * think, 1.5 * think))
            else:
                if self.measuring:
                    self.conversations += 1

    async def run(self, concurrency: int, think: float, warmup: float, duration: float,
                  tree: dict[str, list[psutil.Process]]) -> tuple[float, dict[str, float]]:
        timeout = aiohttp.ClientTimeout(total=60)
        connector = aiohttp.TCPConnector(limit=concurrency + 4)
        async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
            stop_at = time.monotonic() + warmup + duration
            tasks = [asyncio.create_task(self.patient(session, think, stop_at)) for _ in range(concurrency)]
            # Stagger starts a little so the patients are not in lock-step.
            await asyncio.sleep(warmup)
            self.measuring = True
            me = psutil.Process()
            machine_before, me_before = psutil.cpu_times(), me.cpu_times()
            cpu_before, t0 = cpu_seconds(tree), time.monotonic()
            await asyncio.sleep(duration)
            self.measuring = False
            cpu_after, elapsed = cpu_seconds(tree), time.monotonic() - t0
            machine_after, me_after = psutil.cpu_times(), me.cpu_times()
            await asyncio.gather(*tasks)
        cpu = {name: round(100 * (cpu_after.get(name, 0) - cpu_before.get(name, 0)) / elapsed, 1)
               for name in cpu_after}
        cpu["(load generator)"] = round(100 * (me_after.user + me_after.system - me_before.user - me_before.system)
                                        / elapsed, 1)
        busy = sum(machine_after) - machine_after.idle - (sum(machine_before) - machine_before.idle)
        cpu["(whole machine)"] = round(100 * busy / elapsed, 1)
        return elapsed, cpu


def measure(setup: str, url: str, pids: dict[str, int], level: str, concurrency: int, think: float,
            warmup: float, duration: float, failure_text: str) -> Result:
    tree = process_tree(pids)
    load = Load(url, failure_text)
    elapsed, cpu = asyncio.run(load.run(concurrency, think, warmup, duration, tree))
    lat_ms = [x * 1000 for x in load.latencies]
    errors = sum(load.errors.values())
    result = Result(
        setup=setup, level=level, concurrency=concurrency, think_s=think, duration_s=round(elapsed, 1),
        turns=len(lat_ms), conversations=load.conversations, errors=errors, error_kinds=load.errors,
        turns_per_s=round(len(lat_ms) / elapsed, 1) if elapsed else 0.0,
        p50_ms=round(statistics.median(lat_ms), 1) if lat_ms else 0.0,
        p95_ms=round(percentile(lat_ms, 95), 1), p99_ms=round(percentile(lat_ms, 99), 1),
        max_ms=round(max(lat_ms), 1) if lat_ms else 0.0, cpu_percent=cpu, rss_mb=rss_mb(tree),
        latencies_ms=lat_ms,
    )
    print(f"  {setup:<7} {level:<11} c={concurrency:<3} think={think:<4} {result.turns_per_s:7.1f} turns/s  "
          f"p50 {result.p50_ms:6.1f}  p95 {result.p95_ms:6.1f}  p99 {result.p99_ms:6.1f} ms  "
          f"errors {errors} {load.errors or ''}", flush=True)
    return result


def start_setup(name: str, args: argparse.Namespace, stack: contextlib.ExitStack) -> tuple[str, dict[str, int]]:
    """Start one setup (stopped when `stack` closes); returns its URL and server process ids."""
    from bot.launcher import Stack
    from deploy.cluster import Cluster

    t0 = time.monotonic()
    tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix=f"bench-{name}-"))
    if name == "single":
        server: Any = Stack(web=False, extra_env={"TRACKER_DB_URL": f"sqlite:///{tmp}/tracker.db"},
                            log_dir=Path(tmp) / "logs")
        stack.callback(server.stop)
        server.start()
        url, pids = server.rasa_url, {f"{n}": p.pid for n, p in server.procs.items()}
    else:
        server = Cluster(instances=args.instances, web=False, nginx_workers=1)
        stack.callback(server.stop)
        server.start()
        url, pids = server.url, {n: p.pid for n, p in server.all_procs().items()}
    print(f"{name}: started in {time.monotonic() - t0:.0f} s ({url})", flush=True)
    return url, pids


def merge(windows: list[Result]) -> Result:
    """One saturation result from several windows: turns over total time, percentiles over all turns."""
    lat = [x for w in windows for x in w.latencies_ms]
    elapsed = sum(w.duration_s for w in windows)
    errors: dict[str, int] = {}
    for w in windows:
        for kind, n in w.error_kinds.items():
            errors[kind] = errors.get(kind, 0) + n
    names = {name for w in windows for name in w.cpu_percent}
    return Result(
        setup=windows[0].setup, level="saturation", concurrency=windows[0].concurrency, think_s=0.0,
        duration_s=round(elapsed, 1), turns=len(lat), conversations=sum(w.conversations for w in windows),
        errors=sum(errors.values()), error_kinds=errors,
        turns_per_s=round(len(lat) / elapsed, 1) if elapsed else 0.0,
        p50_ms=round(statistics.median(lat), 1) if lat else 0.0, p95_ms=round(percentile(lat, 95), 1),
        p99_ms=round(percentile(lat, 99), 1), max_ms=round(max(lat), 1) if lat else 0.0,
        cpu_percent={n: round(sum(w.cpu_percent.get(n, 0) * w.duration_s for w in windows) / elapsed, 1)
                     for n in names},
        rss_mb=windows[-1].rss_mb, rounds=[w.turns_per_s for w in windows],
    )


def run_all(setups: list[str], args: argparse.Namespace, failure_text: str) -> list[Result]:
    """Start every setup, measure each at the patients level, then alternate saturation windows."""
    with contextlib.ExitStack() as stack:
        servers = {name: start_setup(name, args, stack) for name in setups}
        results = [measure(name, *servers[name], "patients", args.patients, args.think, args.warmup,
                           args.duration, failure_text) for name in setups]
        windows: dict[str, list[Result]] = {name: [] for name in setups}
        for i in range(args.rounds):
            for name in (setups if i % 2 == 0 else setups[::-1]):
                windows[name].append(measure(name, *servers[name], "saturation", args.saturation, 0.0,
                                             args.warmup, args.round_duration, failure_text))
        return results + [merge(windows[name]) for name in setups]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setups", default="single,cluster", help="comma list: single, cluster")
    parser.add_argument("--patients", type=int, default=20, help="concurrent conversations with think time")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between a patient's turns")
    parser.add_argument("--saturation", type=int, default=24, help="concurrent conversations, no think time")
    parser.add_argument("--duration", type=float, default=25.0, help="seconds measured at the patients level")
    parser.add_argument("--rounds", type=int, default=4, help="saturation windows per setup, alternating")
    parser.add_argument("--round-duration", type=float, default=15.0, help="seconds measured per saturation window")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds before measuring, per level")
    parser.add_argument("--instances", type=int, default=2, help="Rasa instances in the cluster")
    parser.add_argument("--json", type=Path, default=None, help="write the results here")
    args = parser.parse_args()
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

    from bot.content.library import load_library

    failure_text = load_library(settings.CONTENT_DIR).resolve("utter_action_failure", None).render({})
    print(f"bench: {os.cpu_count()} CPUs, {psutil.virtual_memory().total / 2**30:.1f} GiB RAM; patients level "
          f"{args.duration:.0f} s, saturation {args.rounds} x {args.round_duration:.0f} s per setup (alternating), "
          f"each after {args.warmup:.0f} s warm-up", flush=True)
    results = run_all([s.strip() for s in args.setups.split(",") if s.strip()], args, failure_text)

    print("\nsetup   level       conc think  turns/s   p50 ms   p95 ms   p99 ms  errors")
    for r in results:
        print(f"{r.setup:<7} {r.level:<11} {r.concurrency:>4} {r.think_s:>5} {r.turns_per_s:>8} {r.p50_ms:>8} "
              f"{r.p95_ms:>8} {r.p99_ms:>8} {r.errors:>7}")
    print("\nCPU % (100 = one core) and RSS MB per server process, saturation level:")
    for r in results:
        if r.level == "saturation":
            for name in sorted(r.cpu_percent):
                rss = f"rss {r.rss_mb[name]:8.1f} MB" if name in r.rss_mb else ""
                print(f"  {r.setup:<7} {name:<17} cpu {r.cpu_percent[name]:6.1f}%  {rss}")
    print("\nAt saturation: bot CPU per turn (all server processes) and CPU used by other processes on the machine")
    for r in results:
        if r.level == "saturation" and r.turns:
            bot_cpu = sum(v for k, v in r.cpu_percent.items() if not k.startswith("("))
            other = r.cpu_percent.get("(whole machine)", 0) - bot_cpu - r.cpu_percent.get("(load generator)", 0)
            r.cpu_percent["(other processes)"] = round(other, 1)
            print(f"  {r.setup:<7} {10 * bot_cpu / r.turns_per_s:6.1f} ms CPU/turn; bot {bot_cpu:.0f}%, "
                  f"other processes {other:.0f}% of {100 * (os.cpu_count() or 1)}%")
    sat = {r.setup: r for r in results if r.level == "saturation"}
    if "single" in sat and "cluster" in sat and sat["single"].turns_per_s:
        single, cluster = sat["single"], sat["cluster"]
        per_round = [c / s for s, c in zip(single.rounds, cluster.rounds, strict=True) if s]
        print(f"\ncluster/single throughput at saturation: {cluster.turns_per_s / single.turns_per_s:.2f}x "
              f"({cluster.turns_per_s} vs {single.turns_per_s} turns/s over {len(per_round)} alternating rounds; "
              f"per round {', '.join(f'{x:.2f}x' for x in per_round)})")
    patients = next((r for r in results if r.setup == "single" and r.level == "patients"), None)
    if patients:
        verdict = "meets" if patients.p95_ms <= 150 and patients.errors == 0 else "MISSES"
        print(f"single, {patients.concurrency} conversations: p95 {patients.p95_ms} ms, {patients.errors} errors "
              f"-> {verdict} the target (p95 <= 150 ms, zero errors)")
    if args.json:
        rows = [{k: v for k, v in asdict(r).items() if k != "latencies_ms"} for r in results]
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
