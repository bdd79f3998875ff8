"""Set up whatever this machine lacks to run and test the suite (idempotent).

Order of the search for Odoo 19.0:
1. an importable ``odoo`` package of version 19.0;
2. else the source tree named by ``ODOO_SRC``;
3. else the official 19.0 source release, downloaded once.
A source tree is installed into the current Python with its requirements and
a ``.pth`` file, so that every later run finds it by a plain import.
"""

import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

from odoo_env import ODOO_SERIES, REPO, SetupError, odoo_probe, python, say

ODOO_RELEASE_URL = "https://nightly.odoo.com/19.0/nightly/src/odoo_19.0.latest.tar.gz"
DOWNLOAD_DIR = Path.home() / ".local" / "share" / "gov-suite"
PTH_NAME = "odoo-19-source.pth"

# Requirement lines of Odoo 19 that cannot or need not be installed here.
SKIPPED_REQUIREMENTS = (
    "python-ldap",  # only for auth_ldap; needs system LDAP headers
)
# Upper bounds that gevent needs to start: its plugin lookup (pkg_resources)
# breaks with zope.interface 7, and cannot find zope.event from 5.1 on, whose
# metadata is named zope_event. Held on every setup, Odoo installed
# beforehand or not: the multi-worker server (make bench) starts gevent.
RUNTIME_PINS = {"zope.interface": "7", "zope.event": "5.1"}
# Pins that make Odoo 19's requirements build and run on Python 3.11.
EXTRA_CONSTRAINTS = (
    "setuptools<70",  # cbor2 5.4 does not build with newer setuptools
    *(f"{name}<{bound}" for name, bound in RUNTIME_PINS.items()),
)
EXTRA_REQUIREMENTS = ("lxml-html-clean", "jsonschema")
DEV_REQUIREMENTS = REPO / "tools" / "requirements-dev.txt"
BROWSERS = ("google-chrome", "chromium", "chromium-browser", "google-chrome-stable")


def pip_install(args, constraints=()):
    """pip install into the current Python, with our constraints merged in."""
    env = dict(os.environ)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(_inherited_constraints() + list(constraints)) + "\n")
        constraint_file = handle.name
    # PIP_CONSTRAINT also reaches the isolated build environments.
    env["PIP_CONSTRAINT"] = constraint_file
    cmd = [python(), "-m", "pip", "install", "--disable-pip-version-check", *args]
    say("pip install " + " ".join(args))
    try:
        subprocess.run(cmd, check=True, env=env)
    finally:
        os.unlink(constraint_file)


def _inherited_constraints():
    """Constraint lines already configured for pip on this machine."""
    proc = subprocess.run(
        [python(), "-m", "pip", "config", "list"],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = []
    for row in proc.stdout.splitlines():
        key, _sep, value = row.partition("=")
        if key.endswith(".constraint"):
            path = Path(value.strip().strip("'\""))
            if path.is_file():
                lines.extend(
                    line.strip()
                    for line in path.read_text().splitlines()
                    if line.strip() and not line.startswith("#")
                )
    return lines


def _download_release():
    target = DOWNLOAD_DIR / "odoo-19.0"
    if (target / "odoo" / "release.py").is_file():
        return target
    DOWNLOAD_DIR.mkdir(parents=True, exist_ok=True)
    archive = DOWNLOAD_DIR / "odoo_19.0.latest.tar.gz"
    say(f"downloading the Odoo {ODOO_SERIES} source release from {ODOO_RELEASE_URL}")
    try:
        with (
            urllib.request.urlopen(ODOO_RELEASE_URL, timeout=60) as resp,
            archive.open("wb") as out,
        ):
            shutil.copyfileobj(resp, out)
    except OSError as exc:
        raise SetupError(
            f"Odoo {ODOO_SERIES} is not importable, ODOO_SRC is not set and the "
            f"official release could not be downloaded ({exc}). Set ODOO_SRC to an "
            f"Odoo {ODOO_SERIES} source tree and run again."
        ) from exc
    with tarfile.open(archive) as tar:
        top = tar.getnames()[0].split("/")[0]
        tar.extractall(DOWNLOAD_DIR, filter="data")
    (DOWNLOAD_DIR / top).rename(target)
    archive.unlink()
    return target


def _install_source(src):
    src = Path(src).resolve()
    if not (src / "odoo" / "release.py").is_file():
        raise SetupError(f"{src} is not an Odoo source tree (no odoo/release.py)")
    requirements = src / "requirements.txt"
    if requirements.is_file():
        wanted = [
            line
            for line in requirements.read_text().splitlines()
            if line.strip()
            and not line.lstrip().startswith("#")
            and not line.lower().startswith(SKIPPED_REQUIREMENTS)
        ]
        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
            handle.write("\n".join(wanted) + "\n")
            filtered = handle.name
        try:
            pip_install(
                ["-r", filtered, *EXTRA_REQUIREMENTS, *EXTRA_CONSTRAINTS],
                constraints=EXTRA_CONSTRAINTS,
            )
        finally:
            os.unlink(filtered)
    # Odoo 19's `odoo` is a namespace package: a path entry is enough, and
    # much faster than an editable install of the whole tree.
    site_packages = Path(sysconfig.get_paths()["purelib"])
    (site_packages / PTH_NAME).write_text(f"{src}\n")
    say(f"Odoo source {src} added to {site_packages / PTH_NAME}")


def ensure_odoo():
    version, package_dir = odoo_probe()
    if version and version.startswith(ODOO_SERIES):
        return package_dir
    if version:
        raise SetupError(
            f"the importable Odoo is version {version}; this suite needs {ODOO_SERIES}"
        )
    src = os.environ.get("ODOO_SRC") or _download_release()
    _install_source(src)
    version, package_dir = odoo_probe()
    if not (version and version.startswith(ODOO_SERIES)):
        raise SetupError("Odoo was installed but still does not import; see pip output")
    return package_dir


def ensure_dev_requirements():
    missing = []
    for line in DEV_REQUIREMENTS.read_text().splitlines():
        spec = line.split("#")[0].strip()
        if not spec:
            continue
        name, _sep, pinned = spec.partition("==")
        for sep in ("<", ">", "=", "!", "~", "["):
            name = name.split(sep)[0]
        try:
            installed = importlib.metadata.version(name.strip())
        except importlib.metadata.PackageNotFoundError:
            missing.append(spec)
            continue
        if pinned and installed != pinned.strip():
            missing.append(spec)
    if missing:
        pip_install(missing, constraints=EXTRA_CONSTRAINTS)


def ensure_runtime_pins():
    """Bring installed packages back under RUNTIME_PINS."""
    wrong = []
    for name, bound in RUNTIME_PINS.items():
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        if _release(installed) >= _release(bound):
            wrong.append(f"{name}<{bound}")
    if wrong:
        pip_install(wrong, constraints=EXTRA_CONSTRAINTS)


def _release(version):
    """The numeric release of a version string: "6.4.post2" -> (6, 4)."""
    return tuple(
        int(part) for part in re.match(r"\d+(?:\.\d+)*", version)[0].split(".")
    )


def find_browser():
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def ensure_browser():
    """Headless Chromium is needed by the tours; Odoo would skip them silently."""
    if find_browser():
        return
    apt = shutil.which("apt-get")
    if apt and os.geteuid() == 0:
        say("installing Debian's chromium for the UI tours")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run([apt, "install", "-y", "chromium"], check=True, env=env)
    if not find_browser():
        raise SetupError(
            "no Chrome or Chromium found: install Debian's 'chromium' package "
            "(the UI tours need it)"
        )


def _pg_ready():
    proc = subprocess.run(
        ["psql", "-X", "-A", "-t", "-d", "postgres", "-c", "SELECT 1"],
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.returncode == 0, proc.stderr.strip()


def ensure_postgres():
    if not shutil.which("psql"):
        raise SetupError("PostgreSQL client 'psql' not found: install PostgreSQL")
    ready, error = _pg_ready()
    if ready:
        return
    clusters = Path("/etc/postgresql")
    if shutil.which("pg_ctlcluster") and clusters.is_dir():
        for version_dir in sorted(clusters.iterdir()):
            for cluster in sorted(p.name for p in version_dir.iterdir() if p.is_dir()):
                say(f"starting PostgreSQL cluster {version_dir.name}/{cluster}")
                subprocess.run(
                    [
                        "pg_ctlcluster",
                        "--skip-systemctl-redirect",
                        version_dir.name,
                        cluster,
                        "start",
                    ],
                    check=False,
                )
        for _attempt in range(20):
            ready, error = _pg_ready()
            if ready:
                return
            time.sleep(0.5)
    raise SetupError(
        "cannot reach PostgreSQL over its local socket as the current user "
        f"({error or 'no server'}). Install and start PostgreSQL, and create a "
        "role for this user with the right to create databases."
    )


def main():
    try:
        ensure_postgres()
        package_dir = ensure_odoo()
        ensure_runtime_pins()
        ensure_dev_requirements()
        ensure_browser()
    except (SetupError, subprocess.CalledProcessError) as exc:
        print(f"[gov] setup failed: {exc}", file=sys.stderr)
        return 1
    say(f"ready: Odoo {ODOO_SERIES} from {package_dir.parent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
