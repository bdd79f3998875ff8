"""Run a benchmark of the suite on demand: ``make bench BENCH=exception``.

Each benchmark lives in ``bench/<name>/bench_<name>.py`` and defines
``MODULES`` (what to install) and ``run(registry)`` returning a dict of
results. The runner installs the modules into a fresh database, runs the
benchmark in this process, prints the results and writes them to
``bench/results/<name>.json`` (not committed). Every result that compares
against an anchor is a ratio measured in the same run.

A benchmark whose anchor cannot share the database (two modules gating the
same action) may also define ``extra_databases()``, returning
``{key: {"modules": [...], "addons_paths": [...]}}``: each one is installed
into its own fresh database ``<db>_<key>``, with those folders added to the
addons path, and its registry is passed to ``run`` as the keyword ``key``.
All databases are dropped at the end.
"""

import argparse
import configparser
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent / "tools"))

import setup_env
from odoo_env import (
    drop_database,
    env_without_odoo_rc,
    odoo_probe,
    python,
    say,
    write_config,
)

RESULTS = BENCH_DIR / "results"


def load(name):
    path = BENCH_DIR / name / f"bench_{name}.py"
    if not path.exists():
        raise SystemExit(
            f"no benchmark {name!r} ({path.relative_to(BENCH_DIR.parent)})"
        )
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def install(conf, db, modules, addons_path=None):
    drop_database(db)
    say(f"installing {', '.join(modules)} into {db}")
    extra = [f"--addons-path={addons_path}"] if addons_path else []
    subprocess.run(
        [
            python(),
            "-m",
            "odoo",
            "server",
            "-c",
            str(conf),
            "-d",
            db,
            "-i",
            ",".join(modules),
            "--stop-after-init",
            "--log-level=warn",
            *extra,
        ],
        env=env_without_odoo_rc(),
        check=True,
    )


def addons_path_with(conf, paths):
    """The addons path of ``conf`` followed by ``paths``, as one option value."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(conf)
    return ",".join([parser["options"]["addons_path"], *map(str, paths)])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="benchmark folder under bench/")
    parser.add_argument("--db", default="gov_bench")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args(argv)
    bench = load(args.name)
    if setup_env.main() != 0:
        return 1
    _version, package_dir = odoo_probe()
    RESULTS.mkdir(exist_ok=True)
    logfile = RESULTS / f"{args.name}.log"
    conf = write_config(RESULTS / "odoo-bench.conf", package_dir, logfile=logfile)
    extras = getattr(bench, "extra_databases", dict)()
    others = {key: f"{args.db}_{key}" for key in extras}
    extra_paths = [path for spec in extras.values() for path in spec["addons_paths"]]
    try:
        install(conf, args.db, bench.MODULES)
        for key, spec in extras.items():
            paths = addons_path_with(conf, spec["addons_paths"])
            install(conf, others[key], spec["modules"], paths)
        import odoo
        from odoo.modules.registry import Registry

        options = ["-c", str(conf), "--log-level=warn"]
        if extra_paths:
            options.append(f"--addons-path={addons_path_with(conf, extra_paths)}")
        odoo.tools.config.parse_config(options)
        registry = Registry(args.db)
        registries = {key: Registry(db) for key, db in others.items()}
        started = time.monotonic()
        results = bench.run(registry, **registries)
        results = {
            "benchmark": args.name,
            "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
            "seconds": round(time.monotonic() - started, 1),
            **results,
        }
    finally:
        if not args.keep_db:
            for db in [args.db, *others.values()]:
                drop_database(db)
    text = json.dumps(results, indent=2)
    (RESULTS / f"{args.name}.json").write_text(text + "\n")
    sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
