#!/usr/bin/env python3
"""Drill: the LLM provider goes slow and goes down under browse load.

A fake OpenAI-compatible Chat Completions server stands in for the provider.
It alternates healthy (2.5 s), slow (1.5 s: holds each request past Kennel's
LLM timeout, and answers the ones still held when it recovers), healthy, down
(1.5 s: port closed), six times over. Browse load comes from a separate
process for the whole run; signed-in users ask the assistant at a fixed rate
throughout, so every phase carries the same load.

Claim: browse p99 while the provider is slow or down is within 20% of browse
p99 while it is healthy, no browse request fails, and every question asked
while the provider is slow or down is answered 503 `feature_unavailable`
(problem+json) within the LLM timeout plus a second.

Fairness on a small, shared machine: many short interleaved phases (rather
than one baseline, then one fault) put both conditions under the same
background noise. Each phase gets its own browse p99, and the medians of the
healthy and of the fault phases' p99s are compared: a burst of outside load
lands in one or two phases and moves one or two values, while an effect of
the fault shows in every fault phase. A healthy phase counts only from when
the previous fault is really over (every question asked before it answered,
then a 200 again, i.e. the breaker closed): held calls and an open breaker
linger there, which would flatter the baseline. The server and the browse
process run at nice -10, ahead of whatever else the machine is doing. When
the first 24 phases put the fault phases above the bound, 24 more are run and
the decision is taken on all 48: more samples, never a looser bound. The
verdict also compares alternate healthy phases with each other, to show how
noisy the machine was.

Fault check: in each down phase the fake's port refuses connections; in each
slow phase the fake received requests it held; in the healthy phases the
assistant did answer (200), so the 503s come from the fault.
"""
import json
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from common import (HOST, BrowseProcess, Client, Kennel, Workspace, browse_paths, check, free_port,
                    log, main, percentile, port_refuses, register)

LLM_TIMEOUT_S = 1
SLOW_REPLY_S = 2.5
HEALTHY_REPLY_S = 0.05
HEALTHY_S = 2.5
FAULT_S = 1.5
CYCLES = 6
ASK_PER_SECOND = 8
USERS = 4
BROWSE_THREADS = 2
P99_BOUND = 1.20
ANSWER = "Pixel is a friendly puppy who loves a game of fetch and is gentle with children."


class FakeProvider:
    def __init__(self, port):
        self.port = port
        self.mode = "healthy"
        self.server = None
        self.lock = threading.Lock()
        self.received = {"healthy": 0, "slow": 0}
        self.released = threading.Event()

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                request = json.loads(self.rfile.read(length) or b"{}")
                mode, released = fake.mode, fake.released
                with fake.lock:
                    fake.received[mode] = fake.received.get(mode, 0) + 1
                if mode == "slow":
                    # Held past Kennel's timeout, or until the provider recovers.
                    released.wait(SLOW_REPLY_S)
                else:
                    time.sleep(HEALTHY_REPLY_S)
                body = json.dumps({
                    "id": "chatcmpl-drill", "object": "chat.completion",
                    "model": request.get("model", "drill"),
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": ANSWER}}],
                    "usage": {"prompt_tokens": 50, "completion_tokens": 16, "total_tokens": 66},
                }).encode()
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # Kennel gave up on a held call: expected

        return Handler

    def up(self):
        server = ThreadingHTTPServer((HOST, self.port), self._handler())
        server.daemon_threads = True
        server.block_on_close = False
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        self.server = server

    def down(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def set(self, mode):
        if self.mode == "slow":
            self.released.set()  # the calls still held are answered now
        if mode == "slow":
            self.released = threading.Event()
        if mode == "down":
            self.down()
        elif self.server is None:
            self.up()
        self.mode = mode


def segment_of(segments, t):
    for mode, begin, end in segments:
        if begin <= t < end:
            return mode, begin, end
    return None, None, None


def browse_figures(segments, samples, questions):
    """Browse latency, phase by phase. Each phase gets its own p99; the
    comparison is between the medians of those p99s. A burst of outside load
    lands in one or two phases and moves one or two values; an effect of the
    fault shows in every fault phase."""

    def settled(begin):
        """When the previous phase's effects are gone: every question asked
        before `begin` has its answer (their failures may still open the
        breaker), and then a question asked after that was answered 200 (the
        breaker is closed again)."""
        drained = max([begin] + [r.ended for r in questions if r.started < begin])
        answered = [r.ended for r in questions if r.started >= drained and r.status == 200]
        return min(answered) if answered else None

    settle = {begin: settled(begin) for mode, begin, _ in segments if mode == "healthy"}
    per_phase, failed = {}, []
    for started, elapsed, status, description in samples:
        if status != 200:
            failed.append(description)
        mode, begin, end = segment_of(segments, started)
        if mode in ("slow", "down") or (mode == "healthy" and settle[begin] is not None
                                        and started >= settle[begin]):
            per_phase.setdefault(begin, []).append(elapsed)
    check(not failed, f"{len(failed)} browse requests failed, e.g. {failed[0]}" if failed else "")
    healthy = [per_phase.get(b, []) for m, b, _ in segments if m == "healthy"]
    faulty = [per_phase.get(b, []) for m, b, _ in segments if m != "healthy"]
    check(all(len(p) >= 100 for p in healthy + faulty),
          "a phase has fewer than 100 browse samples: "
          + ", ".join(str(len(p)) for p in healthy + faulty))
    healthy_p99 = [percentile(p, 99) * 1000 for p in healthy]
    fault_p99 = [percentile(p, 99) * 1000 for p in faulty]
    base = [x for p in healthy for x in p]
    fault = [x for p in faulty for x in p]
    f = {
        "base": statistics.median(healthy_p99), "fault": statistics.median(fault_p99),
        "pooled": (percentile(base, 99) * 1000, percentile(fault, 99) * 1000),
        "p50": (percentile(base, 50) * 1000, percentile(fault, 50) * 1000),
        "samples": (len(base), len(fault)), "phases": (len(healthy), len(faulty)),
        # The same comparison between the healthy phases themselves (alternate
        # ones): how far apart two samples of equal conditions land here.
        "noise": (statistics.median(healthy_p99[1::2]) / statistics.median(healthy_p99[0::2]) - 1) * 100,
        "settle": sorted(t - b for b, t in settle.items() if t is not None),
        "settle_at": settle,
    }
    f["change"] = (f["fault"] / f["base"] - 1) * 100
    log("browse p99 by phase (ms): " + ", ".join(
        f"{mode[0]} {percentile(per_phase.get(begin, []), 99) * 1000:.1f}"
        for mode, begin, _ in segments))
    log(f"median phase p99 {f['base']:.2f} / {f['fault']:.2f} ms ({f['change']:+.0f}%), pooled p99 "
        f"{f['pooled'][0]:.2f} / {f['pooled'][1]:.2f} ms, p50 {f['p50'][0]:.2f} / {f['p50'][1]:.2f} ms "
        f"({len(base)} / {len(fault)} samples); healthy vs healthy {f['noise']:+.0f}%; healthy phases "
        f"settled after {', '.join(f'{t:.1f}' for t in f['settle'])} s")
    return f


def drill():
    ws = Workspace("llm")
    try:
        fake = FakeProvider(free_port())
        fake.up()
        ws.on_exit(fake.down)
        kennel = Kennel(ws.path, extra_env={
            "LLM_BASE_URL": f"http://{HOST}:{fake.port}/v1",
            "LLM_API_KEY": "drill-key",
            "LLM_MODEL": "drill-model",
            "LLM_TIMEOUT_SECONDS": str(LLM_TIMEOUT_S),
            "LLM_BREAKER_COOL_DOWN_SECONDS": "1",
            "ASSISTANT_DAILY_QUOTA": "100000",
        }, priority=True)
        ws.on_exit(kennel.stop)
        kennel.seed()
        kennel.cli("flags", "set", "assistant", "on")
        kennel.start()
        ids = [p["id"] for p in kennel.first_puppies(10)]
        tokens = [register(kennel.port, f"asker{i}")[0] for i in range(USERS)]

        questions = []  # Responses
        qlock = threading.Lock()
        local = threading.local()

        def ask(n):
            if not hasattr(local, "clients"):
                local.clients = {}
            token = tokens[n % USERS]
            client = local.clients.setdefault(token, Client(kennel.port, timeout=15, token=token))
            r = client.request("POST", "/v1/assistant/messages", json_body={
                "puppy_id": ids[n % len(ids)],
                "messages": [{"role": "user", "content": "Is this puppy good with children?"}]})
            with qlock:
                questions.append(r)

        # Warm-up: the assistant answers before anything is measured.
        ask(0)
        check(questions and questions[0].status == 200,
              f"the assistant does not answer with a healthy provider: {questions[0].describe()}")
        questions.clear()

        segments, samples, refused_checks, slow_counts = [], [], [], []

        def run_round():
            schedule = [("healthy", HEALTHY_S), ("slow", FAULT_S), ("healthy", HEALTHY_S),
                        ("down", FAULT_S)] * CYCLES
            total = sum(d for _, d in schedule)
            browse = BrowseProcess(kennel.port, browse_paths(ids), BROWSE_THREADS, total + 1.0,
                                   priority=True).start()
            time.sleep(1.0)  # the browse process imports and connects
            pool = ThreadPoolExecutor(max_workers=32)
            stop_asking = threading.Event()

            def dispatch():
                n, started = 0, time.monotonic()
                while not stop_asking.is_set():
                    pool.submit(ask, n)
                    n += 1
                    delay = started + n / ASK_PER_SECOND - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)

            dispatcher = threading.Thread(target=dispatch, daemon=True)
            dispatcher.start()
            for mode, seconds in schedule:
                slow_before = fake.received["slow"]
                begin = time.monotonic()
                fake.set(mode)
                if mode == "down":
                    refused_checks.append(port_refuses(fake.port))
                time.sleep(seconds)
                if mode == "slow":
                    slow_counts.append(fake.received["slow"] - slow_before)
                segments.append((mode, begin, time.monotonic()))
            fake.set("healthy")
            stop_asking.set()
            dispatcher.join()
            pool.shutdown(wait=True)
            samples.extend(browse.results())

        # A first round; when it does not settle the question (the fault phases'
        # p99 above the bound), a second round doubles the phases and the
        # decision is taken on all of them: more samples, never a looser bound.
        run_round()
        first = browse_figures(segments, samples, questions)
        rounds = 1
        if first["fault"] > first["base"] * P99_BOUND:
            log(f"first round {first['change']:+.0f}%: running a second round")
            run_round()
            rounds = 2
        figures = browse_figures(segments, samples, questions) if rounds == 2 else first
        check(all(refused_checks), "the fake provider's port did not refuse in a down phase")
        check(all(c > 0 for c in slow_counts), f"a slow phase held no request: {slow_counts}")

        # The assistant. Every answer is a 200 or a fast 503 feature_unavailable.
        odd = [r for r in questions if r.status != 200 and r.code != "feature_unavailable"]
        check(not odd, f"the assistant answered {odd[0].describe()}" if odd else "")
        slowest = max(r.elapsed for r in questions)
        check(slowest <= LLM_TIMEOUT_S + 1.0, f"a question took {slowest:.2f} s "
                                               f"(bound {LLM_TIMEOUT_S + 1.0:.1f} s)")
        # A question asked near the end of a phase may be answered by the next
        # one: one held by the slow provider is released when it recovers, a
        # refused one is retried 200-400 ms later. Those are left out.
        margin = {"slow": LLM_TIMEOUT_S + 0.1, "down": 0.6, "healthy": 0.3}
        settle = figures["settle_at"]
        under_fault, healthy_ok, healthy_all, held = [], 0, 0, 0
        for r in questions:
            mode, begin, end = segment_of(segments, r.started)
            if mode is None or r.started >= end - margin[mode]:
                continue
            if mode in ("slow", "down"):
                under_fault.append(r)
                if r.elapsed >= LLM_TIMEOUT_S * 0.9:
                    held += 1
            elif settle[begin] is not None and r.started >= settle[begin]:
                healthy_all += 1
                healthy_ok += r.status == 200
                if r.status != 200:
                    log(f"healthy-phase question {r.started - begin:.2f} s into the phase: "
                        f"{r.describe()} after {r.elapsed:.2f} s")
        wrong = [r for r in under_fault if r.status != 503 or r.code != "feature_unavailable"]
        check(under_fault, "no question was asked while the provider was failing")
        check(not wrong, f"{len(wrong)} of {len(under_fault)} questions under fault were answered "
                         f"{wrong[0].describe()} instead of 503 feature_unavailable" if wrong else "")
        check(held > 0, "no question waited on the slow provider: the slow phase had no effect")
        check(healthy_all and healthy_ok == healthy_all,
              f"only {healthy_ok} of {healthy_all} questions in settled healthy phases were answered")

        f = figures
        browse = (f"browse p99 {f['fault']:.2f} ms under fault vs {f['base']:.2f} ms healthy "
                  f"({f['change']:+.0f}%, bound +{(P99_BOUND - 1) * 100:.0f}%; median of "
                  f"{f['phases'][1]} and {f['phases'][0]} phase p99s"
                  + (f", second round after {first['change']:+.0f}% in the first" if rounds == 2 else "")
                  + f"; pooled {f['pooled'][1]:.2f} vs {f['pooled'][0]:.2f} ms; p50 {f['p50'][1]:.2f} vs "
                  f"{f['p50'][0]:.2f} ms; {f['samples'][1]} / {f['samples'][0]} samples; healthy vs "
                  f"healthy {f['noise']:+.0f}%)")
        check(f["fault"] <= f["base"] * P99_BOUND, browse)
        return (f"{browse}, 0 browse failures; {len(under_fault)} questions under fault all 503 "
                f"feature_unavailable ({held} waited out the {LLM_TIMEOUT_S} s timeout; slowest "
                f"answer {slowest:.2f} s); {healthy_ok} answered 200 when healthy; "
                f"down port refused, slow provider held {sum(slow_counts)} calls")
    finally:
        ws.close()


if __name__ == "__main__":
    sys.exit(main("llm-down", drill))
