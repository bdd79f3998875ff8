"""Create or update the demo database with the whole suite and serve it.

The database ``gov_demo`` is created with Odoo's demo data and every module
of the suite but the test-only addons (category ``Hidden/Tests``); on later
runs the installed modules are updated and new ones installed. The server
listens on http://localhost:8069.
"""

import argparse
import os
import subprocess
import sys

import setup_env
from odoo_env import (
    STATE_DIR,
    SetupError,
    database_exists,
    env_without_odoo_rc,
    installed_modules,
    odoo_probe,
    python,
    say,
    suite_modules,
    write_config,
)

LOGIN_HELP = (
    "log in as admin / admin (Governance Administrator), or as a demo user "
    "(password = login): gov_approver, gov_matrix_manager, "
    "gov_integration_manager, gov_auditor"
)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="gov_demo")
    parser.add_argument("--port", type=int, default=8069)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if setup_env.main() != 0:
        return 1
    _version, package_dir = odoo_probe()
    conf = write_config(
        STATE_DIR / "odoo-demo.conf",
        package_dir,
        extra={"http_port": str(args.port), "max_cron_threads": "1"},
    )
    # the test-only addons (their tester models) never go into the demo
    modules = suite_modules(with_tests=False)
    base_cmd = [python(), "-m", "odoo", "server", "-c", str(conf), "-d", args.db]
    env = env_without_odoo_rc()
    try:
        if not database_exists(args.db):
            say(f"creating {args.db} with demo data and {', '.join(modules)}")
            init = [*base_cmd, "--with-demo", "-i", ",".join(modules)]
        else:
            installed = installed_modules(args.db, modules)
            missing = [m for m in modules if m not in installed]
            say(f"updating {args.db}")
            init = [*base_cmd, "-u", ",".join(sorted(installed) or modules)]
            if missing:
                init += ["-i", ",".join(missing)]
        subprocess.run([*init, "--stop-after-init"], env=env, check=True)
    except (SetupError, subprocess.CalledProcessError) as exc:
        print(f"[gov] could not prepare {args.db}: {exc}", file=sys.stderr)
        return 1
    url = f"http://localhost:{args.port}/odoo"
    say(f"serving the suite at {url}")
    say(LOGIN_HELP)
    serve = [*base_cmd, f"--db-filter=^{args.db}$"]
    os.execve(python(), serve, env)  # noqa: S606 (the server replaces this process)


if __name__ == "__main__":
    sys.exit(main())
