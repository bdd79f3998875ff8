"""Shared helpers for the developer commands: where Odoo is, which addons we
ship, how to reach PostgreSQL and how to write an Odoo configuration file.

Only the standard library is used here, so that these helpers work before
Odoo and its requirements are installed.
"""

import ast
import configparser
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STATE_DIR = REPO / ".odoo"
# GOV_RESULTS_DIR lets side-by-side runs keep their logs apart
RESULTS_DIR = Path(os.environ.get("GOV_RESULTS_DIR") or REPO / "test-results")
ODOO_SERIES = "19.0"


class SetupError(RuntimeError):
    """A problem the developer has to act on; the message says what to do."""


def say(message):
    print(f"[gov] {message}", flush=True)


def python():
    return sys.executable


def odoo_probe():
    """Return (version, package_dir) of the importable Odoo, or (None, None).

    The probe runs in a subprocess from the filesystem root so that nothing
    in the current directory can shadow the installed package.
    """
    code = (
        "import os, odoo.release as r, odoo;"
        "print(r.version); print(list(odoo.__path__)[0])"
    )
    proc = subprocess.run(
        [python(), "-c", code],
        cwd="/",
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        return None, None
    version, package_dir = proc.stdout.strip().splitlines()[-2:]
    return version, Path(package_dir)


def odoo_addons_paths(package_dir):
    """Addons folders of an Odoo source tree, given its `odoo` package dir."""
    root = package_dir.parent
    paths = []
    for candidate in (root / "addons", package_dir / "addons"):
        if candidate.is_dir():
            paths.append(candidate)
    return paths


TEST_CATEGORY = "Hidden/Tests"


def suite_modules(with_tests=True):
    """Names of the installable addons at the repository root, sorted.

    ``with_tests=False`` leaves out the test-only addons (category
    ``Hidden/Tests``, like the approval engine's tester), which a demo or
    production database never installs; ``make test`` installs them.
    """
    modules = []
    for manifest in sorted(REPO.glob("*/__manifest__.py")):
        data = ast.literal_eval(manifest.read_text())
        if not data.get("installable", True):
            continue
        if not with_tests and data.get("category") == TEST_CATEGORY:
            continue
        modules.append(manifest.parent.name)
    return modules


def write_config(path, package_dir, logfile=None, extra=None):
    """Write an Odoo configuration file for this checkout and return it."""
    addons = [str(REPO)] + [str(p) for p in odoo_addons_paths(package_dir)]
    config = configparser.ConfigParser(interpolation=None)
    options = {
        "addons_path": ",".join(addons),
        "data_dir": str(STATE_DIR / "data"),
        "http_interface": "127.0.0.1",
        "list_db": "False",
        "max_cron_threads": "0",
        "proxy_mode": "False",
    }
    if logfile:
        options["logfile"] = str(logfile)
    options.update(extra or {})
    config["options"] = options
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        config.write(handle)
    return path


def psql(sql, dbname="postgres", **variables):
    """Run one SQL statement over the local socket; return stdout stripped.

    Values are passed as psql variables (``:'name'`` in ``sql``), never
    formatted into the statement.
    """
    args = []
    for name, value in variables.items():
        args += ["-v", f"{name}={value}"]
    proc = subprocess.run(
        ["psql", "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", *args, "-d", dbname],
        input=sql,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SetupError(f"psql failed: {proc.stderr.strip()}")
    return proc.stdout.strip()


def database_exists(name):
    return psql("SELECT 1 FROM pg_database WHERE datname = :'name'", name=name) == "1"


def drop_database(name):
    subprocess.run(["dropdb", "--if-exists", "--force", name], check=True)


def installed_modules(dbname, names):
    if not database_exists(dbname):
        return set()
    out = psql(
        "SELECT name FROM ir_module_module WHERE state = 'installed'"
        " AND name = ANY(string_to_array(:'names', ','))",
        dbname=dbname,
        names=",".join(names),
    )
    return set(out.split()) if out else set()


def env_without_odoo_rc():
    env = dict(os.environ)
    env.pop("ODOO_RC", None)
    env.pop("OPENERP_SERVER", None)
    return env
