"""Benchmark: saving interview steps through the web app, on gunicorn and SQLite, on loopback.

Run by ``make bench`` (tools/bench.py puts its figures in docs/benchmarks.md), or alone:
``.venv/bin/python tools/bench_web.py``. What it does (issue 3, point 10):

1. a temporary data folder with a new SQLite database (migrated; WAL and synchronous FULL, as in
   production), one organisation, N users and one case per user — each case the fictional
   example (b), complete, so every save carries a whole application (35 KB of JSON);
2. gunicorn on 127.0.0.1 and a free port, DEBUG off, a random secret key for the run;
3. every user logs in through the login page (CSRF token read from the form, real password
   hashing), then saves once to warm up;
4. reference: the same users at the same rate GET the login page (a template rendered, the
   session read, nothing written) — the figures are compared to it, measured in the same run;
5. open loop: every user saves the Part B "harm" screen once per second (``action=autosave``,
   the JSON answer the page's script gets), each save a new narrative naming the user and the
   save; a save is timed from when it was due, so a late start counts (no coordinated omission);
6. closed loop: C clients save back to back for a bounded time — the saturation throughput;
7. the server stopped, every case read back from the database: the last narrative each user
   saved must be there and the version must count every acknowledged save (none lost).

The load generator (Python threads, one connection per request, as behind a proxy) runs on the
same cores as the server; its CPU share is reported beside the figures. Exit status 1 if any save
is lost or any request fails.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote_plus, urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

EXAMPLE = ROOT / "examples" / "b-dissident-businessman.json"
STEP = "harm"  # Part B, question 1.A: the narrative a user spends most time on
NARRATIVE = "claim.past_harm.explanation"
TARGET_P95_MS = 25.0
# Why the default server is what it is (written only when the defaults were measured).
SERVER_CHOICE = [
    "Server: gunicorn's sync worker, two processes per core — chosen from two alternated runs",
    "of each candidate on this machine (2026-11-27, after the writer lock and the frozen",
    "start-up objects of docs/decisions.md §15): 4 sync workers had p95 17.3 and 18.3 ms, p99",
    "24.4 and 20.0 ms, 130–157 saves/s; 2 processes × 4 threads p95 16.9 and 18.9 ms but p99",
    "28–30 ms, 114–151 saves/s; 2 × 2 threads p95 23.2 and 19.1 ms, 131–146 saves/s. Sync",
    "workers keep no connection open (the proxy in front buffers slow clients, as gunicorn's",
    "documentation advises). `--workers` and `--threads` repeat the comparison. Writers queue on",
    "`refugio_web.writer`'s lock (threads) and file lock (processes), not on SQLite's polling.",
]
HOST = "127.0.0.1"
TIMEOUT = 15  # seconds: a request slower than this counts as failed (and bounds the run)


# --- the simulated browser ------------------------------------------------------------------


class Browser:
    """One user: one keep-alive HTTP/1.1 connection and the cookies the server set."""

    def __init__(self, port: int, keep_alive: bool = False) -> None:
        self.port = port
        self.keep_alive = keep_alive
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT)
        self.reconnects = 0

    def request(
        self, method: str, path: str, form: dict[str, str] | bytes | None = None
    ) -> tuple[int, bytes]:
        # As the TLS proxy in front of gunicorn sends it: production settings redirect plain
        # http to https and trust X-Forwarded-Proto (README, "Production settings"); a browser
        # sends Origin with every POST, which Django's CSRF check compares on https.
        headers = {"Host": f"{HOST}:{self.port}", "X-Forwarded-Proto": "https"}
        if not self.keep_alive:
            headers["Connection"] = "close"  # one connection per request, as behind a proxy
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = form if isinstance(form, bytes) else urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}:{self.port}"
            # "__Host-csrftoken" in production (a page's script would post the form's token).
            token = [v for k, v in self.cookies.items() if k.endswith("csrftoken")]
            headers["X-CSRFToken"] = token[0] if token else ""
        for attempt in (0, 1):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed an idle keep-alive connection before reading the request.
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
                self.reconnects += 1
                if attempt:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, data

    def close(self) -> None:
        self.conn.close()


@dataclass
class User:
    username: str
    case_path: str
    form: dict[str, str]  # the answers of the screen, as the page would post them
    browser: Browser
    version: int = 1
    seq: int = 0
    acked: int = 0  # saves the server answered 200 with the next version
    failed: int = 0
    last_saved: str = ""
    base: str = ""
    page: str = field(default_factory=lambda: secrets.token_hex(8))  # the page's own token
    encoded: bytes = b""  # the screen's other answers and the narrative's start, encoded once

    def __post_init__(self) -> None:
        # A browser encodes a form in native code in microseconds; urlencode takes over 1 ms
        # for this 12 KB screen, which the latency would otherwise count (percent-encoding is
        # byte by byte, so encoded pieces concatenate).
        rest = {k: v for k, v in self.form.items() if k != NARRATIVE}
        rest.update(action="autosave", page=self.page)
        self.encoded = f"{urlencode(rest)}&{quote_plus(NARRATIVE)}={quote_plus(self.base)}".encode()


def narrative(user: User) -> str:
    return f"{user.base}\n\n(bench: {user.username}, save {user.seq:05d})"


def save(user: User) -> tuple[bool, int]:
    """One autosave of the screen with a new narrative; True when acknowledged."""
    user.seq += 1
    text = narrative(user)
    suffix = quote_plus(text[len(user.base) :])
    form = user.encoded + f"{suffix}&version={user.version}".encode()
    status, body = user.browser.request("POST", user.case_path, form)
    if status == 200:
        answer = json.loads(body)
        if answer.get("version") == user.version + 1:
            user.version, user.acked, user.last_saved = answer["version"], user.acked + 1, text
            return True, status
        user.version = int(answer.get("version", user.version))
    user.failed += 1
    return False, status


def login(user: User, password: str) -> None:
    status, page = user.browser.request("GET", "/login/")
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or found is None:
        raise RuntimeError(f"login page: HTTP {status}, no CSRF token")
    from refugio_web.accounts import current_code
    from refugio_web.models import Authenticator

    # The second factor as the user's phone would compute it, from the secret in the database.
    device = Authenticator.objects.get(user__username=user.username, confirmed=True)
    form = {
        "csrfmiddlewaretoken": found[1].decode(),
        "username": user.username,
        "password": password,
        "code": current_code(device),
        "next": "",
    }
    status, _ = user.browser.request("POST", "/login/", form)
    if status != 302 or not any(k.endswith("sessionid") for k in user.browser.cookies):
        raise RuntimeError(f"login of {user.username}: HTTP {status}")


# --- load ---------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    seconds: float
    latencies: list[float] = field(default_factory=list)  # seconds
    statuses: dict[int, int] = field(default_factory=dict)
    failures: int = 0
    generator_cpu: float = 0.0  # CPU seconds of this process (all its threads)
    server_cpu: float = 0.0  # CPU seconds of gunicorn's master and workers
    machine_cpu: float = 0.0  # CPU seconds of every process on the machine
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, latency: float, ok: bool, status: int) -> None:
        with self.lock:
            self.latencies.append(latency)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.failures += not ok

    def pct(self, p: float) -> float:
        """Nearest-rank percentile in milliseconds."""
        ordered = sorted(self.latencies)
        if not ordered:
            return math.nan
        return 1000 * ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def non_2xx(self) -> int:
        return sum(n for status, n in self.statuses.items() if not 200 <= status < 300)


def _cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _server_pids(master: int) -> list[int]:
    pids = [master]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == master:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return pids


def _machine_busy_seconds() -> float:
    """CPU seconds every CPU of the machine has been busy since boot (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _measured(phase: Phase, master: int, run: Callable[[], None]) -> Phase:
    pids = _server_pids(master)
    cpu0, server0, machine0 = time.process_time(), _cpu_seconds(pids), _machine_busy_seconds()
    run()
    phase.generator_cpu = time.process_time() - cpu0
    phase.server_cpu = _cpu_seconds(pids) - server0
    phase.machine_cpu = _machine_busy_seconds() - machine0
    return phase


def _attempt(user: User, action: Callable[[User], tuple[bool, int]]) -> tuple[bool, int]:
    """The action; a timeout or a broken connection is a failed request (status 0)."""
    try:
        return action(user)
    except (OSError, http.client.HTTPException):
        user.browser.conn.close()
        user.failed += 1
        return False, 0


def open_loop(
    users: list[User],
    rate: float,
    seconds: float,
    phase: Phase,
    action: Callable[[User], tuple[bool, int]],
) -> None:
    """Each user acts ``rate`` times a second, at a random phase; late starts count as latency."""
    rng = random.Random(589)  # noqa: S311 - reproducible schedule, not security
    start = time.perf_counter() + 0.2
    period = 1 / rate

    def one(user: User, offset: float) -> None:
        k = 0
        while True:
            due = start + offset + k * period
            if due >= start + seconds:
                return
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            ok, status = _attempt(user, action)
            phase.add(time.perf_counter() - due, ok, status)
            k += 1

    threads = [
        threading.Thread(target=one, args=(u, rng.random() * period), daemon=True) for u in users
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def closed_loop(users: list[User], seconds: float, phase: Phase) -> None:
    """Each client saves again as soon as its previous save is answered."""
    end = time.perf_counter() + seconds

    def one(user: User) -> None:
        while time.perf_counter() < end:
            sent = time.perf_counter()
            ok, status = _attempt(user, save)
            phase.add(time.perf_counter() - sent, ok, status)

    threads = [threading.Thread(target=one, args=(u,), daemon=True) for u in users]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    phase.seconds = time.perf_counter() - started


def get_login(user: User) -> tuple[bool, int]:
    status, _ = user.browser.request("GET", "/login/")
    return status == 200, status


# --- the server and the database ------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        port: int = s.getsockname()[1]
        return port


def environment(data_dir: Path) -> dict[str, str]:
    from refugio.crypto import new_key_text

    env = {k: v for k, v in os.environ.items() if k not in ("REFUGIO_DEBUG", "DATABASE_URL")}
    env.update(
        DJANGO_SETTINGS_MODULE="refugio_web.settings",
        REFUGIO_SECRET_KEY=secrets.token_urlsafe(50),
        REFUGIO_MASTER_KEY=new_key_text(),  # every answer sealed under it, as in production
        REFUGIO_DATA_DIR=str(data_dir),
        DATABASE_URL=f"sqlite:///{data_dir / 'refugio.sqlite3'}",
    )
    return env


def setup_database(count: int, password: str) -> list[tuple[str, str, dict[str, str], str]]:
    """Migrate; an organisation, ``count`` users, one case each (example b). Django set up here."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connections

    from refugio.interview import from_application, get, questions_of, step_by_slug
    from refugio.model import Application
    from refugio_web import cases
    from refugio_web.models import Authenticator, Organisation, Role
    from refugio_web.models import User as DjangoUser

    call_command("migrate", verbosity=0)
    app = Application.model_validate_json(EXAMPLE.read_text(encoding="utf-8"))
    draft = from_application(app)
    step = step_by_slug(STEP)
    assert step is not None  # noqa: S101 - a fixed slug of the plan
    form = {q.name: str(get(draft, q.path)) for q in questions_of(step, draft, only_visible=False)}
    org = Organisation.objects.create(name="Benchmark Legal Aid (fictional)")
    hashed = make_password(password)  # one hash for all: setup time, not the benchmark
    users = DjangoUser.objects.bulk_create(
        DjangoUser(username=f"bench-{i:02d}", password=hashed, organisation=org,
                   role=Role.REPRESENTATIVE)
        for i in range(count)
    )  # fmt: skip
    # Every account needs a second factor (issue 4, point 3): one authenticator each.
    Authenticator.objects.bulk_create(
        Authenticator.new(user, confirmed=True, name="bench") for user in users
    )
    rows = []
    for user in users:
        case = cases.create_case(user, f"BENCH-{user.username}", draft)  # sealed, as the app does
        rows.append((user.username, f"/cases/{case.pk}/step/{STEP}/", form, form[NARRATIVE]))
    connections.close_all()
    return rows


def read_back(users: list[User]) -> dict[str, int]:
    """Every case from the database: the last narrative saved, a version for every save."""
    from django.db import connections

    from refugio.interview import get
    from refugio_web.models import AccessEvent, Case

    lost = mismatched = unacknowledged = 0
    for user in users:
        case = Case.objects.get(pk=user.case_path.split("/")[2])  # /cases/<id>/step/…
        applied = case.version - 1
        edits = AccessEvent.objects.filter(case_id=case.pk, action="edit").count()
        lost += max(0, user.acked - applied)
        unacknowledged += max(0, applied - user.acked)
        if get(case.draft, NARRATIVE) != user.last_saved or edits != applied:
            mismatched += 1
    connections.close_all()
    return {
        "acknowledged": sum(u.acked for u in users),
        "lost": lost,
        "mismatched": mismatched,
        "unacknowledged": unacknowledged,
    }


def start_server(
    env: dict[str, str], port: int, args: argparse.Namespace, log: Path
) -> subprocess.Popen[bytes]:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    workers, threads = args.workers, args.threads
    cmd = [
        str(gunicorn),
        args.app,
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        f"--worker-class={'gthread' if threads > 1 else 'sync'}",
        "--keep-alive=5",
        f"--chdir={ROOT}",
        f"--pythonpath={ROOT / 'src'}",
        f"--error-logfile={log}",
        "--log-level=warning",
    ]
    server = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({server.returncode}); see {log}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            # As the TLS proxy would send it (plain http is redirected to https).
            conn.request("GET", "/login/", headers={"X-Forwarded-Proto": "https"})
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("gunicorn did not answer within 30 s")


# --- report -----------------------------------------------------------------------------------


def _row(label: str, phase: Phase, reference: Phase) -> str:
    return (
        f"| {label} | {phase.count} | {phase.pct(50):.1f} ms | {phase.pct(95):.1f} ms | "
        f"{phase.pct(99):.1f} ms | {phase.pct(100):.1f} ms | "
        f"{phase.pct(95) / reference.pct(95):.2f} |"
    )


def _wrap(paragraph: str) -> str:
    return textwrap.fill(paragraph, width=95, break_long_words=False, break_on_hyphens=False)


def _others(phase: Phase) -> str:
    """The share of one core other processes used meanwhile, in percent."""
    others = phase.machine_cpu - phase.server_cpu - phase.generator_cpu
    return f"{max(0.0, 100 * others / phase.seconds):.0f}"


def report(args: argparse.Namespace, phases: dict[str, Phase], checks: dict[str, int]) -> str:
    ref, saves, kept, sat = (phases[n] for n in ("reference", "open", "keep-alive", "closed"))
    p95 = saves.pct(95)
    throughput = sat.count / sat.seconds
    offered = args.users * args.rate
    server_class = (
        f"gthread, {args.workers} workers × {args.threads} threads"
        if args.threads > 1
        else f"sync, {args.workers} workers"
    )
    errors = sum(p.failures for p in phases.values())
    non_2xx = sum(p.non_2xx for p in phases.values())
    cpu_per_save = 1000 * saves.server_cpu / max(saves.count, 1)
    intro = (
        f"Written by `make bench` (tools/bench_web.py): gunicorn ({server_class}) on 127.0.0.1, "
        "DEBUG off; SQLite in a new temporary folder (WAL, synchronous FULL: every save on disk "
        f"before it is acknowledged). {args.users} users, each logged in through the login page, "
        "each with one case: the fictional example (b), complete, so every save writes a whole "
        "application (35 KB of JSON). A save is the autosave of the Part B screen (item 1.A): "
        "the whole screen posted with `action=autosave` and the version it started from, a new "
        "narrative each time. Each user saves once a second at its own phase; a save is timed "
        "from when it was due, so a late start counts. Every request comes on a new connection, "
        "as gunicorn gets them behind a proxy (the README's production setup; nginx's default). "
        "The reference is the login page (a template rendered, the session read, nothing "
        "written) asked by the same users at the same rate from the same server."
    )
    saturation = (
        f"Saturation: **{throughput:.0f} saves/s** ({args.clients} clients back to back), "
        f"{throughput / offered:.1f}× the {offered:g} saves/s the {args.users} users offer. The "
        f"server used {cpu_per_save:.1f} ms of CPU per save in the open loop; the load "
        f"generator, on the same cores, used {100 * saves.generator_cpu / saves.seconds:.0f}% of "
        f"one core there and {100 * sat.generator_cpu / sat.seconds:.0f}% in the closed loop; "
        f"other processes {_others(saves)}% and {_others(sat)}% (this machine is shared: they "
        "are why figures move between runs, and why the reference is measured in the same run)."
    )
    read_back = (
        f"Read back: {checks['acknowledged']} saves acknowledged, every case read from the "
        f"database after the server stopped — **{checks['lost']} lost**: a version and an audit "
        "entry for every save, and the last narrative each user saved, in every case "
        f"({checks['mismatched']} cases differ); {checks['unacknowledged']} saves applied "
        f"without an answer; {non_2xx} non-2xx answers, {errors} failed requests."
    )
    verdict = (
        f"Target (issue 3): p95 ≤ {TARGET_P95_MS:.0f} ms with {args.users} users saving once a "
        f"second, on this {os.cpu_count()}-core machine: p95 {p95:.1f} ms — "
        f"**{'met' if p95 <= TARGET_P95_MS else 'not met'}**; {p95 / ref.pct(95):.1f}× the p95 "
        "of the reference page."
    )
    table = [
        "| what | requests | p50 | p95 | p99 | max | p95 ratio to reference |",
        "|---|---|---|---|---|---|---|",
        _row(
            f"login page GET, {args.users} users × {args.rate:g}/s, {args.reference_seconds:g} s "
            "(reference)",
            ref,
            ref,
        ),
        _row(
            f"step save, {args.users} users × {args.rate:g}/s, {args.seconds:g} s (open loop)",
            saves,
            ref,
        ),
        *(
            [
                _row(
                    f"step save, the same, {kept.seconds:g} s, each user keeping one connection "
                    "straight to gunicorn",
                    kept,
                    ref,
                )
            ]
            if kept.count
            else []
        ),
        _row(
            f"step save, {args.clients} clients back to back, {args.closed_seconds:g} s "
            "(closed loop)",
            sat,
            ref,
        ),
    ]
    keep_alive = (
        "Kept connections (no proxy) stay with the worker process that accepted them, so the "
        "load splits unevenly between the processes (up to 8:1 in runs here) and that row's p95 "
        "moves from run to run with the split."
    )
    choice = [" ".join(SERVER_CHOICE)] if (args.workers, args.threads) == (4, 1) else []
    lines = ["## Web: saving interview steps", "", _wrap(intro), "", *table, ""]
    paragraphs = [*([keep_alive] if kept.count else []), saturation, read_back, *choice, verdict]
    for paragraph in paragraphs:
        lines += [_wrap(paragraph), ""]
    return "\n".join(lines[:-1]) + "\n"


def main() -> int:
    doc = __doc__ or ""
    parser = argparse.ArgumentParser(
        description=doc,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Prints a Markdown section for docs/benchmarks.md (progress on stderr).",
    )
    parser.add_argument("--users", type=int, default=20, help="simulated users (default 20)")
    parser.add_argument("--rate", type=float, default=1.0, help="saves per user per second (1)")
    parser.add_argument("--seconds", type=float, default=20, help="open loop duration (20)")
    parser.add_argument(
        "--reference-seconds", type=float, default=5, help="reference (login page) duration (5)"
    )
    parser.add_argument("--clients", type=int, default=8, help="closed-loop clients (8)")
    parser.add_argument("--closed-seconds", type=float, default=10, help="closed loop time (10)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (4)")
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per worker (1: sync worker; more: gthread)"
    )
    parser.add_argument(
        "--keep-alive-seconds",
        type=float,
        default=10,
        help="open loop again, each user keeping one connection straight to gunicorn "
        "(10; 0: no; gthread only: a sync worker closes every connection)",
    )
    parser.add_argument(
        "--app",
        default="refugio_web.wsgi:application",
        help="the WSGI application (to profile, a wrapper of it on the Python path)",
    )
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if args.clients > args.users:
        parser.error("--clients cannot exceed --users (each client is a user with a case)")

    tmp = Path(tempfile.mkdtemp(prefix="refugio-bench-web-"))
    env = environment(tmp)
    os.environ.update(env)
    for name in ("REFUGIO_DEBUG",):
        os.environ.pop(name, None)
    password = secrets.token_urlsafe(16)
    server: subprocess.Popen[bytes] | None = None
    users: list[User] = []
    try:
        t0 = time.perf_counter()
        rows = setup_database(args.users, password)
        port = free_port()
        server = start_server(env, port, args, tmp / "gunicorn.log")
        print(f"set up and started in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        users = [
            User(name, path, form, Browser(port), base=base) for name, path, form, base in rows
        ]
        # Logins hash the password (PBKDF2, ~0.7 s of CPU each): as many at once as the server
        # has threads, so that none waits in its queue past the timeout.
        with ThreadPoolExecutor(max_workers=args.workers * args.threads) as pool:
            list(pool.map(lambda u: login(u, password), users))
        for u in users:
            if not save(u)[0]:
                raise RuntimeError(f"warm-up save of {u.username} failed")
        print(f"logged in and warmed up at {time.perf_counter() - t0:.1f} s", file=sys.stderr)

        phases = {
            "reference": Phase("reference", args.reference_seconds),
            "open": Phase("open", args.seconds),
            "keep-alive": Phase("keep-alive", args.keep_alive_seconds),
            "closed": Phase("closed", args.closed_seconds),
        }
        ref = phases["reference"]
        _measured(ref, server.pid, lambda: open_loop(users, args.rate, ref.seconds, ref, get_login))
        opened = phases["open"]
        _measured(
            opened, server.pid, lambda: open_loop(users, args.rate, opened.seconds, opened, save)
        )
        kept = phases["keep-alive"]
        if kept.seconds > 0 and args.threads > 1:  # a sync worker closes every connection
            for u in users:
                u.browser.keep_alive = True
            _measured(
                kept, server.pid, lambda: open_loop(users, args.rate, kept.seconds, kept, save)
            )
            for u in users:
                u.browser.keep_alive = False
                u.browser.close()
        closed = phases["closed"]
        _measured(
            closed, server.pid, lambda: closed_loop(users[: args.clients], closed.seconds, closed)
        )
        print(f"load done at {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        for u in users:
            u.browser.close()
        server.terminate()
        server.wait(timeout=30)
        server = None
        checks = read_back(users)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    text = report(args, phases, checks)
    print(text)
    if args.json:
        raw = {
            name: {
                "count": p.count,
                "seconds": p.seconds,
                "p50_ms": p.pct(50),
                "p95_ms": p.pct(95),
                "p99_ms": p.pct(99),
                "max_ms": p.pct(100),
                "statuses": p.statuses,
                "failures": p.failures,
                "generator_cpu_s": p.generator_cpu,
                "server_cpu_s": p.server_cpu,
                "machine_cpu_s": p.machine_cpu,
            }
            for name, p in phases.items()
        }
        raw["checks"] = dict(checks)
        raw["reconnects"] = {"count": sum(u.browser.reconnects for u in users)}
        args.json.write_text(json.dumps(raw, indent=2), encoding="utf-8")
    failed = checks["lost"] or checks["mismatched"] or any(p.failures for p in phases.values())
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
