"""Install the suite in a fresh database and run every module's tests.

The run fails when a test fails or errors, when nothing was collected, when
a test is skipped without a reason listed in ``.ci/skip-allowlist.txt``, and
when the install or test logs hold an Odoo WARNING, ERROR or CRITICAL line
that no test captured on purpose (``mute_logger`` / ``assertLogs``).
It writes ``test-results/summary.json``.
"""

import argparse
import fnmatch
import json
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import setup_env
from odoo_env import (
    REPO,
    RESULTS_DIR,
    SetupError,
    drop_database,
    env_without_odoo_rc,
    odoo_probe,
    python,
    say,
    suite_modules,
    write_config,
)

ALLOWLIST = REPO / ".ci" / "skip-allowlist.txt"
LOG_PROBLEM = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (WARNING|ERROR|CRITICAL) "
)
CLOSING_LINE = re.compile(r"^=+ .* in [\d.]+s.* =+$")


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="gov_test", help="database to create and drop")
    parser.add_argument(
        "--modules",
        default="",
        help="comma-separated suite modules to install and test (default: all)",
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the database")
    parser.add_argument(
        "--http-port",
        type=int,
        default=8069,
        help="port of the test HTTP server (side-by-side runs need their own)",
    )
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments")
    return parser.parse_args(argv)


def install(db, modules, package_dir):
    logfile = RESULTS_DIR / "install.log"
    conf = write_config(RESULTS_DIR / "odoo-install.conf", package_dir, logfile=logfile)
    drop_database(db)
    say(f"installing {', '.join(modules)} into a fresh database {db}")
    cmd = [
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
        "--log-level=info",
    ]
    proc = subprocess.run(cmd, env=env_without_odoo_rc(), check=False)
    if proc.returncode != 0:
        raise SetupError(f"installation failed (exit {proc.returncode}); see {logfile}")
    return logfile


def run_pytest(db, modules, package_dir, extra, http_port=8069):
    logfile = RESULTS_DIR / "test.log"
    conf = write_config(
        RESULTS_DIR / "odoo-test.conf",
        package_dir,
        logfile=logfile,
        extra={"http_port": str(http_port)},
    )
    junit = RESULTS_DIR / "junit.xml"
    paths = [str(REPO / m / "tests") for m in modules if (REPO / m / "tests").is_dir()]
    if not paths:
        raise SetupError("no tests folder in the selected modules")
    cmd = [
        python(),
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        f"--rootdir={REPO}",
        f"--odoo-config={conf}",
        f"--odoo-database={db}",
        "--odoo-log-level=info",
        "--odoo-http",
        f"--junitxml={junit}",
        "-rs",
        *extra,
        *paths,
    ]
    say("running pytest")
    closing = ""
    with subprocess.Popen(
        cmd,
        cwd=REPO,
        env=env_without_odoo_rc(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    ) as proc:
        for line in proc.stdout:
            sys.stdout.write(line)
            if CLOSING_LINE.match(line.strip()):
                closing = line.strip()
        returncode = proc.wait()
    return returncode, closing, junit, logfile


def junit_counts(junit):
    counts = {"tests": 0, "passed": 0, "failed": 0, "errors": 0, "skipped": 0}
    skipped = []
    if not junit.is_file():
        return counts, skipped
    root = ET.parse(junit).getroot()  # noqa: S314 (written by our own pytest run)
    for case in root.iter("testcase"):
        counts["tests"] += 1
        test_id = f"{case.get('classname')}::{case.get('name')}"
        if case.find("failure") is not None:
            counts["failed"] += 1
        elif case.find("error") is not None:
            counts["errors"] += 1
        elif case.find("skipped") is not None:
            counts["skipped"] += 1
            skipped.append((test_id, case.find("skipped").get("message", "")))
        else:
            counts["passed"] += 1
    return counts, skipped


def allowed_skips():
    patterns = []
    if ALLOWLIST.is_file():
        for line in ALLOWLIST.read_text().splitlines():
            pattern, _sep, reason = line.partition("#")
            if pattern.strip() and reason.strip():
                patterns.append(pattern.strip())
    return patterns


def log_problems(logfile):
    problems = []
    if logfile.is_file():
        with logfile.open(errors="replace") as handle:
            for line in handle:
                if LOG_PROBLEM.match(line):
                    problems.append(line.rstrip())
    return problems


def git_commit():
    proc = subprocess.run(
        ["git", "rev-parse", "HEAD"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout.strip() or None


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    started = time.monotonic()
    if setup_env.main() != 0:
        return 1
    _version, package_dir = odoo_probe()
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    for stale in ("summary.json", "junit.xml", "install.log", "test.log"):
        (RESULTS_DIR / stale).unlink(missing_ok=True)
    available = suite_modules()
    modules = [m for m in args.modules.replace(" ", ",").split(",") if m] or available
    unknown = sorted(set(modules) - set(available))
    if unknown:
        print(f"[gov] unknown modules: {', '.join(unknown)}", file=sys.stderr)
        return 2

    reasons = []
    closing = ""
    counts = {"tests": 0, "passed": 0, "failed": 0, "errors": 0, "skipped": 0}
    logs = []
    try:
        logs.append(install(args.db, modules, package_dir))
        returncode, closing, junit, test_log = run_pytest(
            args.db, modules, package_dir, args.pytest_args, args.http_port
        )
        logs.append(test_log)
        counts, skipped = junit_counts(junit)
        if returncode == 5 or counts["tests"] == 0:
            reasons.append("no tests were collected")
        elif returncode != 0:
            reasons.append(f"pytest exited with {returncode}")
        patterns = allowed_skips()
        for test_id, message in skipped:
            if not any(fnmatch.fnmatch(test_id, p) for p in patterns):
                reasons.append(
                    f"skipped without an allowed reason: {test_id} ({message})"
                )
    except SetupError as exc:
        reasons.append(str(exc))
    finally:
        if not args.keep_db:
            drop_database(args.db)

    for logfile in logs:
        problems = log_problems(logfile)
        for line in problems[:50]:
            print(f"[gov] {logfile.name}: {line}")
        if problems:
            reasons.append(
                f"{len(problems)} unexpected WARNING/ERROR lines in {logfile.name}"
            )

    duration = round(time.monotonic() - started, 1)
    summary = {
        "commit": git_commit(),
        "modules": modules,
        **counts,
        "duration_seconds": duration,
        "pytest_closing_line": closing,
        "ok": not reasons,
        "problems": reasons,
    }
    (RESULTS_DIR / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print()
    print(closing or "pytest printed no closing line")
    for reason in reasons:
        print(f"[gov] FAILED: {reason}")
    verdict = "passed" if not reasons else "FAILED"
    print(
        f"[gov] make test {verdict} in {duration}s (summary: test-results/summary.json)"
    )
    return 0 if not reasons else 1


if __name__ == "__main__":
    sys.exit(main())
