"""Webhook gateway throughput: inbound over real HTTP, outbound from the outbox.

Inbound: one Odoo server in multi-process mode (2 HTTP workers, no cron, no
gevent process: see serve.py) serves three targets in the same run, each
driven by wrk over loopback with the same connections, warm-up and duration:
- anchor: Odoo's native ``/web/hook/<uuid>``, an automation rule "On webhook"
  that creates a contact from the payload (see ``_setup``);
- ceiling: a bare ``auth='none'`` route that does nothing (the bench-only
  addon under ``addons/``, loaded as a server-wide module, never installed);
- ours: ``/gov/webhook/<key>`` with Standard Webhooks signatures, stored first
  and answered 202. Every request carries its own delivery id and signature
  (a pool signed just before the run); the inbox must then hold exactly one
  row per request sent.
The stored deliveries are then processed by the inbox worker (the same
contact-creating action), to show the deferred cost.

Outbound: deliveries per second from the outbox to a local receiver, and the
queries and time one ``emit()`` adds to a business transaction.
"""

import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from odoo_env import env_without_odoo_rc, python, say

from odoo import SUPERUSER_ID, Command, api
from odoo.tools import config

MODULES = ["gov_webhook"]
HERE = Path(__file__).resolve().parent
WRK_SCRIPT = HERE / "pool.lua"
BENCH_ADDONS = HERE / "addons"
CEILING_MODULE = "bench_webhook_ceiling"
HOST = "127.0.0.1"
WORKERS = 2
CONNECTIONS = 8
WRK_THREADS = 1
WARMUP_SECONDS = 3
RUN_SECONDS = 12
# Signed requests prepared for our endpoint: more than it can take in a run.
WARMUP_POOL = 20_000
RUN_POOL = 80_000
STATIC_POOL = 500
DRAIN_SAMPLE = 1_000
PATH_SAMPLES = 300
OUTBOUND_EVENTS = 500
EMIT_SAMPLES = 200
EMIT_BATCH = 10
TARGET_VS_NATIVE = 2.0
TARGET_VS_BARE = 0.7
HANDLER_CODE = 'env["res.partner"].create({"name": payload["data"]["name"]})'
NATIVE_GETTER = 'model.create({"name": payload["data"]["name"]})'
NOTES = {
    "ours": "answers 202 once stored; the contact is created later by the inbox"
    " worker (async_processing), where the native hook creates it in the request",
    "native": "the rule's record getter creates the contact and its code action"
    " runs on it: code actions do not see the payload once gov_exception is"
    " installed",
    "bare": "a bare auth='none' route of a bench-only server-wide module",
    "cpu_ms_per_request": "CPU time (user + system) of the Odoo workers and of"
    " their PostgreSQL backends during the measured run, per answered request;"
    " cpu_ratio_ours_vs_bare is the throughput ratio if CPU alone were the"
    " limit (waits such as the commit's disk flush are not CPU)",
    "request_path_in_process": "one request without HTTP (its INSERT also holds"
    " the inbox worker's waiting trigger, if any), and the wake-up used when no"
    " trigger waits (after commit: a trigger no run has taken yet is enough,"
    " else one is added and the cron workers notified)",
    "emit_cost": "a business write with and without events, as in a web request"
    " (the user's companies in the context); the wake-up check runs after the"
    " commit, once per transaction (extra_queries_with_commit)",
}


def run(registry):
    wrk = _ensure_wrk()
    fixture = _setup(registry)
    inbound = _inbound(registry, fixture, wrk)
    request_path = _request_path(registry, fixture)
    processing = _drain(registry, fixture["endpoint_id"])
    outbound = _outbound(registry)
    emit_cost = _emit_cost(registry, outbound.pop("subscription_id"))
    ours, native, bare = (inbound[key] for key in ("ours", "native", "bare"))
    vs_native = round(ours["requests_per_second"] / native["requests_per_second"], 2)
    vs_bare = round(ours["requests_per_second"] / bare["requests_per_second"], 2)
    cpu_vs_bare = round(
        bare["cpu_ms_per_request"]["total"]
        / max(0.01, ours["cpu_ms_per_request"]["total"]),
        2,
    )
    problems = {
        name: inbound[name]["unexpected_status"]
        + sum(inbound[name]["socket_errors"].values())
        for name in ("bare", "native", "ours")
    }
    targets = {
        "throughput_vs_native": {
            "target": f">= {TARGET_VS_NATIVE}",
            "value": vs_native,
            "met": vs_native >= TARGET_VS_NATIVE,
        },
        "p99_vs_native": {
            "target": "ours <= native (ms)",
            "value": [ours["p99_ms"], native["p99_ms"]],
            "met": ours["p99_ms"] <= native["p99_ms"],
        },
        "throughput_vs_bare": {
            "target": f">= {TARGET_VS_BARE}",
            "value": vs_bare,
            "met": vs_bare >= TARGET_VS_BARE,
        },
        "emit_extra_queries": {
            "target": "one insert (the delivery)",
            "value": emit_cost["extra_queries"],
            "met": emit_cost["extra_queries"] <= 1,
        },
        "inbound_answers_as_expected": {
            "target": "no unexpected status, no socket error",
            "value": problems,
            "met": not any(problems.values()),
        },
        "every_request_stored_once": {
            "target": "inbox rows == requests sent",
            "value": [inbound["inbox_check"]["rows"], inbound["inbox_check"]["sent"]],
            "met": inbound["inbox_check"]["ok"],
        },
        "every_delivery_arrived_once": {
            "target": "each delivery received once, signature valid",
            "value": outbound["received"],
            "met": outbound["ok"],
        },
    }
    return {
        "settings": {
            "workers": WORKERS,
            "connections": CONNECTIONS,
            "wrk_threads": WRK_THREADS,
            "warmup_seconds": WARMUP_SECONDS,
            "run_seconds": RUN_SECONDS,
        },
        "inbound": inbound,
        "ratio_ours_vs_native": vs_native,
        "ratio_ours_vs_bare": vs_bare,
        "cpu_ratio_ours_vs_bare": cpu_vs_bare,
        "request_path_in_process": request_path,
        "async_processing": processing,
        "outbound": outbound,
        "emit_cost": emit_cost,
        "targets": targets,
        "all_targets_met": all(target["met"] for target in targets.values()),
        "notes": NOTES,
    }


def _env(cr):
    return api.Environment(cr, SUPERUSER_ID, {})


def _signatures():
    # importable only once the runner has set up the addons path
    from odoo.addons.gov_webhook.tools import signatures

    return signatures


def _ensure_wrk():
    """wrk from the Debian package, installed once."""
    found = shutil.which("wrk")
    if found:
        return found
    say("installing wrk")
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], check=True)
        subprocess.run(install, check=True)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not available after apt-get install wrk")
    return found


def _setup(registry):
    """The native automation rule, our endpoint and its secret."""
    with registry.cursor() as cr:
        env = _env(cr)
        partner_model = env["ir.model"]._get("res.partner")
        runner = env.ref("gov_webhook.res_users_webhook_runner")
        runner.group_ids = [Command.link(env.ref("base.group_partner_manager").id)]
        # Native code actions cannot read the payload here (gov_exception's
        # eval context replaces it), so the rule's record getter creates the
        # contact from the payload and its code action runs on it: the same
        # steps and cost as an action creating the contact itself.
        automation = env["base.automation"].create(
            {
                "name": "Bench native webhook",
                "model_id": partner_model.id,
                "trigger": "on_webhook",
                "record_getter": NATIVE_GETTER,
            }
        )
        native_action = env["ir.actions.server"].create(
            {
                "name": "Bench native: contact created",
                "base_automation_id": automation.id,
                "model_id": partner_model.id,
                "usage": "base_automation",
                "state": "code",
                "code": "record.ensure_one()",
            }
        )
        automation.action_server_ids = [Command.set(native_action.ids)]
        action = env["ir.actions.server"].create(
            {
                "name": "Bench gov: create contact",
                "model_id": partner_model.id,
                "state": "code",
                "code": HANDLER_CODE,
            }
        )
        endpoint = env["gov.webhook.endpoint"].create(
            {
                "name": "Bench",
                "profile": "standard",
                "processing": "async",
                "handler_type": "server_action",
                "server_action_id": action.id,
                "run_as_user_id": runner.id,
                "rate_limit_per_minute": 0,
            }
        )
        secret = _signatures().new_standard_secret()
        endpoint._set_secret(secret)
        return {
            "native_path": f"/web/hook/{automation.webhook_uuid}",
            "ours_path": f"/gov/webhook/{endpoint.path_key}",
            "bare_path": "/bench/webhook/bare",
            "endpoint_id": endpoint.id,
            "secret": secret,
        }


# ----------------------------------------------------------------------
# Inbound
# ----------------------------------------------------------------------
def _free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class _Server:
    """A real Odoo server in multi-process mode on the benchmark database."""

    def __init__(self, dbname):
        self.port = _free_port()
        addons = [str(path) for path in config["addons_path"]] + [str(BENCH_ADDONS)]
        self.command = [
            python(),
            str(HERE / "serve.py"),
            "server",
            "-c",
            str(config["config"]),
            "-d",
            dbname,
            f"--addons-path={','.join(addons)}",
            f"--load=base,rpc,web,{CEILING_MODULE}",
            f"--workers={WORKERS}",
            f"--http-port={self.port}",
            "--max-cron-threads=0",
            "--limit-request=10000000",
            "--log-level=warn",
        ]
        self.process = None

    def __enter__(self):
        say(f"starting Odoo with {WORKERS} workers on port {self.port}")
        self.process = subprocess.Popen(
            self.command,
            env=env_without_odoo_rc(),
            cwd="/",
            start_new_session=True,
        )
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self):
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the Odoo server stopped while starting")
            try:
                if self.request("GET", "/web/health")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("the Odoo server did not answer in time")

    def __exit__(self, *_exc):
        self.stop()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def worker_pids(self):
        """The HTTP worker processes (children of the server)."""
        return [pid for pid in _all_pids() if _parent_pid(pid) == self.process.pid]

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def prime(self, path, body):
        """Load the registry in every worker before anything is measured."""

        def call():
            for _attempt in range(3):
                self.request("POST", path, body, {"Content-Type": "application/json"})

        callers = [threading.Thread(target=call) for _index in range(CONNECTIONS)]
        for caller in callers:
            caller.start()
        for caller in callers:
            caller.join()


def _body(tag, number):
    return json.dumps(
        {
            "type": "bench.contact",
            "id": f"{tag}-{number}",
            "data": {"name": f"Bench contact {tag}-{number}"},
        }
    ).encode()


def _signed_pool(secret, tag, count):
    """``count`` requests with their own delivery id and signature, in order."""
    sign = _signatures().standard_sign
    timestamp = str(int(time.time()))
    pool = []
    for number in range(count):
        body = _body(tag, number)
        msg_id = f"msg_{tag}_{number}"
        pool.append(
            (
                msg_id,
                body,
                {
                    "Content-Type": "application/json",
                    "webhook-id": msg_id,
                    "webhook-timestamp": timestamp,
                    "webhook-signature": sign(secret, msg_id, timestamp, body),
                },
            )
        )
    return pool


def _static_pool(tag):
    return [
        (None, _body(tag, number), {"Content-Type": "application/json"})
        for number in range(STATIC_POOL)
    ]


def _write_pool(folder, name, path, pool, port):
    """The pool file read by pool.lua: path, body and headers per line."""
    file = Path(folder) / f"{name}.pool"
    with file.open("w") as handle:
        for _msg_id, body, headers in pool:
            fields = [path, body.decode()]
            fields += [f"{key}: {value}" for key, value in headers.items()]
            fields.append(f"Host: {HOST}:{port}")
            handle.write("\t".join(fields) + "\n")
    return file


def _wrk(wrk, port, pool_file, seconds):
    proc = subprocess.run(
        [
            wrk,
            f"-t{WRK_THREADS}",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(WRK_SCRIPT),
            f"http://{HOST}:{port}/",
            "--",
            str(pool_file),
            str(WRK_THREADS),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 120,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("WRK_RESULT "):
            return json.loads(line.split(" ", 1)[1])
    raise RuntimeError(f"wrk gave no result: {proc.stdout}\n{proc.stderr}")


def _figures(result, expected_status):
    statuses = {int(code): count for code, count in result["statuses"].items()}
    seconds = result["duration_us"] / 1e6
    return {
        "requests": result["answered"],
        "seconds": round(seconds, 2),
        "requests_per_second": round(result["answered"] / seconds, 1),
        "p50_ms": round(result["p50_us"] / 1000, 2),
        "p90_ms": round(result["p90_us"] / 1000, 2),
        "p99_ms": round(result["p99_us"] / 1000, 2),
        "max_ms": round(result["max_us"] / 1000, 2),
        "statuses": dict(sorted(statuses.items())),
        "non_2xx": sum(n for code, n in statuses.items() if not 200 <= code < 300),
        "unexpected_status": sum(
            n for code, n in statuses.items() if code != expected_status
        ),
        "socket_errors": result["errors"],
        "sent": result["sent"],
    }


# ----------------------------------------------------------------------
# CPU time per request (what other loads of a shared machine change least)
# ----------------------------------------------------------------------
def _all_pids():
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _stat_fields(pid):
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name, in parentheses, may hold spaces
    return text.rsplit(")", 1)[1].split()


def _parent_pid(pid):
    fields_ = _stat_fields(pid)
    return int(fields_[1]) if fields_ else None


def _cpu_seconds(pids):
    """CPU time (user + system) of the processes, by pid; unreadable ones left out."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = {}
    for pid in pids:
        fields_ = _stat_fields(pid)
        if fields_:
            found[pid] = (int(fields_[11]) + int(fields_[12])) / ticks
    return found


class _CpuMeter:
    """CPU spent by the Odoo workers and their PostgreSQL backends."""

    def __init__(self, registry, server):
        self.registry = registry
        self.server = server

    def _backend_pids(self):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = %s AND pid != pg_backend_pid()",
                (self.registry.db_name,),
            )
            return [row[0] for row in cr.fetchall()]

    def snapshot(self):
        return (
            _cpu_seconds(self.server.worker_pids()),
            _cpu_seconds(self._backend_pids()),
        )

    @staticmethod
    def per_request(before, after, requests):
        figures = {}
        for name, start, end in (
            ("odoo", before[0], after[0]),
            ("postgres", before[1], after[1]),
        ):
            spent = sum(end[pid] - start.get(pid, 0.0) for pid in end)
            figures[name] = round(spent * 1000 / max(1, requests), 2)
        figures["total"] = round(figures["odoo"] + figures["postgres"], 2)
        return figures


def _inbound(registry, fixture, wrk):
    results = {}
    with tempfile.TemporaryDirectory() as folder, _Server(registry.db_name) as server:
        meter = _CpuMeter(registry, server)
        server.prime(fixture["bare_path"], _body("prime", 0))
        for name in ("bare", "native"):
            path = fixture[f"{name}_path"]
            pool = _write_pool(folder, name, path, _static_pool(name), server.port)
            say(f"inbound {name}: warm-up {WARMUP_SECONDS} s, run {RUN_SECONDS} s")
            warmup = _wrk(wrk, server.port, pool, WARMUP_SECONDS)
            before = meter.snapshot()
            result = _wrk(wrk, server.port, pool, RUN_SECONDS)
            results[name] = _figures(result, 200)
            results[name]["cpu_ms_per_request"] = meter.per_request(
                before, meter.snapshot(), result["answered"]
            )
            results[name]["answered_200_with_warmup"] = results[name]["statuses"].get(
                200, 0
            ) + warmup["statuses"].get("200", 0)
        results["native"]["contacts_created"] = _count_contacts(registry, "native")
        say(f"inbound ours: warm-up {WARMUP_SECONDS} s, run {RUN_SECONDS} s")
        sent = []
        for tag, size, seconds in (
            ("warm", WARMUP_POOL, WARMUP_SECONDS),
            ("run", RUN_POOL, RUN_SECONDS),
        ):
            pool = _signed_pool(fixture["secret"], tag, size)
            pool_file = _write_pool(
                folder, tag, fixture["ours_path"], pool, server.port
            )
            before = meter.snapshot()
            result = _wrk(wrk, server.port, pool_file, seconds)
            after = meter.snapshot()
            if result["sent"] > size:
                raise RuntimeError(f"the {tag} pool of {size} requests ran out")
            sent += pool[: result["sent"]]
        # the figures are those of the run, not of the warm-up
        results["ours"] = _figures(result, 202)
        results["ours"]["cpu_ms_per_request"] = meter.per_request(
            before, after, result["answered"]
        )
        results["inbox_check"] = _check_inbox(
            registry, server, fixture["ours_path"], fixture["endpoint_id"], sent
        )
    return results


def _count_contacts(registry, tag):
    with registry.cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM res_partner WHERE name LIKE %s",
            (f"Bench contact {tag}-%",),
        )
        return cr.fetchone()[0]


def _stored_ids(registry, endpoint_id):
    with registry.cursor() as cr:
        cr.execute(
            "SELECT delivery_id FROM gov_webhook_inbox WHERE endpoint_id = %s",
            (endpoint_id,),
        )
        return [row[0] for row in cr.fetchall()]


def _check_inbox(registry, server, path, endpoint_id, sent):
    """One row per request sent, none twice, nothing else.

    wrk stops with requests in flight: those the server had not read are
    missing. Sending them again must store them (202) and sending again the
    last ones stored must answer "duplicate" (200) without a new row.
    """
    time.sleep(1)
    stored = _stored_ids(registry, endpoint_id)
    stored_set = set(stored)
    sent_ids = [msg_id for msg_id, _body, _headers in sent]
    missing = [entry for entry in sent if entry[0] not in stored_set]
    extra = stored_set - set(sent_ids)
    tail = [entry for entry in sent[-2 * CONNECTIONS :] if entry[0] in stored_set]
    replays = {"missing_202": 0, "duplicate_200": 0, "other": 0}
    for entry, expected, key in [(e, 202, "missing_202") for e in missing] + [
        (e, 200, "duplicate_200") for e in tail
    ]:
        status, _reply = server.request("POST", path, entry[1], entry[2])
        replays[key if status == expected else "other"] += 1
    final = _stored_ids(registry, endpoint_id)
    ok = (
        len(final) == len(sent_ids)
        and set(final) == set(sent_ids)
        and len(stored) == len(stored_set)
        and not extra
        and replays["other"] == 0
    )
    return {
        "sent": len(sent_ids),
        "stored_after_run": len(stored),
        "missing_after_run": len(missing),
        "replayed": replays,
        "rows": len(final),
        "ok": ok,
    }


def _request_path(registry, fixture):
    """Where the time of one request goes, without HTTP.

    The whole request path (checks, store, wake the inbox worker) called as
    the controller does, the wake-up of the worker alone and an empty
    transaction, each in its own committed transaction (a wake-up notifies the
    cron workers after commit). The wake-up's share leaves out what an empty
    transaction costs.
    """
    key = fixture["ours_path"].rsplit("/", 1)[1]
    pool = iter(_signed_pool(fixture["secret"], "direct", PATH_SAMPLES))

    def receive(env):
        _msg_id, body, headers = next(pool)
        reply = env["gov.webhook.inbox"]._receive(
            key,
            "POST",
            {name.lower(): value for name, value in headers.items()},
            lambda _limit: body,
            len(body),
            HOST,
        )
        if reply.status != 202:
            raise RuntimeError(f"direct request answered {reply.status}")

    def wake(env):
        env["gov.webhook.inbox"]._wake_processor()

    def nothing(_env):
        return None

    figures = {}
    for name, step in (
        ("receive", receive),
        ("wake_up_alone", wake),
        ("empty_transaction", nothing),
    ):
        timings, queries = [], 0
        for number in range(PATH_SAMPLES):
            started = time.perf_counter()
            with registry.cursor() as cr:
                before = cr.sql_log_count
                step(_env(cr))
                # the first ones fill the caches, as the warm-up does
                if number >= PATH_SAMPLES // 3:
                    queries = cr.sql_log_count - before
            if number >= PATH_SAMPLES // 3:
                timings.append(time.perf_counter() - started)
        figures[name] = {
            "median_ms": round(statistics.median(timings) * 1000, 2),
            "queries": queries,
        }
    empty = figures["empty_transaction"]["median_ms"]
    figures["wake_up_share"] = round(
        (figures["wake_up_alone"]["median_ms"] - empty)
        / (figures["receive"]["median_ms"] - empty),
        2,
    )
    return figures


def _drain(registry, endpoint_id):
    """Process a sample of the stored deliveries as the inbox worker does."""
    Inbox = "gov.webhook.inbox"
    processed = 0
    started = time.perf_counter()
    while processed < DRAIN_SAMPLE:
        with registry.cursor() as cr:
            batch = _env(cr)[Inbox]._process_pending()
            if not batch:
                break
            processed += len(batch)
    elapsed = time.perf_counter() - started
    with registry.cursor() as cr:
        cr.execute(
            "SELECT state, count(*) FROM gov_webhook_inbox"
            " WHERE endpoint_id = %s AND state != 'received' GROUP BY state",
            (endpoint_id,),
        )
        states = dict(cr.fetchall())
    return {
        "processed": processed,
        "seconds": round(elapsed, 2),
        "per_second": round(processed / elapsed, 1),
        "states": states,
    }


# ----------------------------------------------------------------------
# Outbound
# ----------------------------------------------------------------------
class _Receiver(ThreadingHTTPServer):
    """Answers 200 to every POST and remembers what it got."""

    daemon_threads = True

    def __init__(self, secret):
        super().__init__((HOST, 0), _ReceiverHandler)
        self.secret = secret
        self.verify = _signatures().verify_standard
        self.received = {}
        self.bad_signatures = 0
        self.lock = threading.Lock()


class _ReceiverHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        headers = {name.lower(): value for name, value in self.headers.items()}
        valid, _timestamp = self.server.verify([self.server.secret], headers, body)
        with self.server.lock:
            webhook_id = headers.get("webhook-id")
            self.server.received[webhook_id] = (
                self.server.received.get(webhook_id, 0) + 1
            )
            self.server.bad_signatures += not valid
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *_args):
        return


def _outbound(registry):
    with registry.cursor() as cr:
        env = _env(cr)
        env["gov.webhook.allowed.host"].create({"name": HOST, "note": "benchmark"})
        subscription = env["gov.webhook.subscription"].create(
            {"name": "Bench receiver", "target_url": f"http://{HOST}:1/hook"}
        )
        env.flush_all()
        cr.execute(
            "SELECT secret FROM gov_webhook_subscription WHERE id = %s",
            (subscription.id,),
        )
        secret = cr.fetchone()[0]
        subscription_id = subscription.id
    receiver = _Receiver(secret)
    listener = threading.Thread(target=receiver.serve_forever, daemon=True)
    listener.start()
    try:
        with registry.cursor() as cr:
            env = _env(cr)
            env["gov.webhook.subscription"].browse(
                subscription_id
            ).target_url = f"http://{HOST}:{receiver.server_address[1]}/hook"
            emitted = []
            for number in range(OUTBOUND_EVENTS):
                emitted += (
                    env["gov.webhook.subscription"]
                    .emit("bench.outbound", data={"n": number})
                    .ids
                )
        say(f"outbound: sending {len(emitted)} deliveries")
        with registry.cursor() as cr:
            before = cr.sql_log_count
            started = time.perf_counter()
            # one batch per call, as Odoo's scheduler calls it until done
            while _env(cr)["gov.webhook.delivery"]._cron_send():
                pass
            elapsed = time.perf_counter() - started
            queries = cr.sql_log_count - before
    finally:
        receiver.shutdown()
        receiver.server_close()
    with registry.cursor() as cr:
        deliveries = _env(cr)["gov.webhook.delivery"].browse(emitted)
        states = {}
        for state in deliveries.mapped("state"):
            states[state] = states.get(state, 0) + 1
        expected = set(deliveries.mapped("webhook_id"))
    counts = receiver.received
    ok = (
        states == {"sent": len(emitted)}
        and set(counts) == expected
        and all(count == 1 for count in counts.values())
        and receiver.bad_signatures == 0
    )
    return {
        "deliveries": len(emitted),
        "seconds": round(elapsed, 2),
        "deliveries_per_second": round(len(emitted) / elapsed, 1),
        "queries_per_delivery": round(queries / len(emitted), 2),
        "states": states,
        "received": sum(counts.values()),
        "received_twice": sum(1 for count in counts.values() if count > 1),
        "bad_signatures": receiver.bad_signatures,
        "ok": ok,
        "subscription_id": subscription_id,
    }


def _emit_cost(registry, subscription_id):
    """Queries and time of a business write, with no event, one, or ten.

    The write runs as in a web request, whose context names the user's
    companies (otherwise resolving the current company reads the user).
    ``queries`` are those of the business code; ``queries_with_commit`` adds
    what the commit runs: the wake-up check, once per transaction, after it.
    """
    with registry.cursor() as cr:
        env = _env(cr)
        partner_id = env["res.partner"].create({"name": "Bench emitter"}).id
        context = {"allowed_company_ids": [env.company.id]}
        # routing and references cached, as in a warm server
        env["gov.webhook.subscription"].emit(
            "bench.partner.updated", record=env["res.partner"].browse(partner_id)
        )
    variants = (0, 1, EMIT_BATCH)
    samples = {events: [] for events in variants}
    for number in range(len(variants) * EMIT_SAMPLES):
        events = variants[number % len(variants)]
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, context)
            partner = env["res.partner"].browse(partner_id)
            before = cr.sql_log_count
            started = time.perf_counter()
            partner.write({"comment": f"revision {number}"})
            for _event in range(events):
                env["gov.webhook.subscription"].emit(
                    "bench.partner.updated", record=partner
                )
            env.flush_all()
            work = time.perf_counter() - started
            queries = cr.sql_log_count - before
            cr.commit()
            total = time.perf_counter() - started
            with_commit = cr.sql_log_count - before
        samples[events].append((queries, work, total, with_commit))
    with registry.cursor() as cr:
        # the deliveries written here are not part of the outbound figures
        cr.execute(
            "UPDATE gov_webhook_delivery SET state = 'cancelled'"
            " WHERE subscription_id = %s AND state = 'pending'",
            (subscription_id,),
        )

    def summary(rows):
        return {
            "queries": statistics.median(row[0] for row in rows),
            "queries_with_commit": statistics.median(row[3] for row in rows),
            "median_ms": round(statistics.median(row[1] for row in rows) * 1000, 3),
            "median_ms_with_commit": round(
                statistics.median(row[2] for row in rows) * 1000, 3
            ),
        }

    plain, one, batch = (summary(samples[events]) for events in variants)
    return {
        "business_write": plain,
        "business_write_with_one_event": one,
        f"business_write_with_{EMIT_BATCH}_events": batch,
        "extra_queries": one["queries"] - plain["queries"],
        "extra_queries_with_commit": one["queries_with_commit"]
        - plain["queries_with_commit"],
        "extra_ms": round(one["median_ms"] - plain["median_ms"], 3),
        "extra_ms_with_commit": round(
            one["median_ms_with_commit"] - plain["median_ms_with_commit"], 3
        ),
        "extra_queries_per_event_in_batch": round(
            (batch["queries"] - plain["queries"]) / EMIT_BATCH, 2
        ),
        "extra_ms_per_event_in_batch": round(
            (batch["median_ms"] - plain["median_ms"]) / EMIT_BATCH, 3
        ),
        "samples_each": EMIT_SAMPLES,
    }
