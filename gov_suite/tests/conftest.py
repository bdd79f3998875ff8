# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Show the adversarial suite's counts in the test output (pytest only;
Odoo's own test runner logs them in the test log)."""

import sys


def pytest_terminal_summary(terminalreporter):
    module = sys.modules.get("odoo.addons.gov_suite.tests.adversarial_case")
    summary = getattr(module, "SUMMARY", None)
    if summary:
        terminalreporter.write_line(
            f"{summary['line']} in {summary['seconds']}s"
            f" (by check: {summary['calls_by_check']}; {summary['events']})"
        )
