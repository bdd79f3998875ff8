"""Regenerate the translation templates (i18n/<module>.pot) of the suite.

Installs the modules in a scratch database, asks Odoo to export their terms
into each module's i18n folder, and drops the database.
"""

import subprocess
import sys

import setup_env
from odoo_env import (
    RESULTS_DIR,
    drop_database,
    env_without_odoo_rc,
    odoo_probe,
    python,
    say,
    suite_modules,
    write_config,
)

DB = "gov_i18n_export"


def main(argv=None):
    modules = (sys.argv[1:] if argv is None else argv) or suite_modules(
        with_tests=False
    )
    if setup_env.main() != 0:
        return 1
    _version, package_dir = odoo_probe()
    conf = write_config(
        RESULTS_DIR / "odoo-i18n.conf", package_dir, logfile=RESULTS_DIR / "i18n.log"
    )
    env = env_without_odoo_rc()
    drop_database(DB)
    try:
        say(f"installing {', '.join(modules)}")
        subprocess.run(
            [python(), "-m", "odoo", "server", "-c", str(conf), "-d", DB]
            + ["-i", ",".join(modules), "--stop-after-init"],
            env=env,
            check=True,
        )
        say("exporting translation templates")
        subprocess.run(
            [python(), "-m", "odoo", "i18n", "export", "-c", str(conf), "-d", DB]
            + modules,
            env=env,
            check=True,
        )
    finally:
        drop_database(DB)
    return 0


if __name__ == "__main__":
    sys.exit(main())
