# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Screenshots taken by tours, for people to look at after a run.

A tour step logs ``gov-screenshot:<name>`` to the console; while a test runs
its tour through :meth:`ScreenshotTourMixin.start_tour_with_screenshots`,
the browser's screen is saved as ``<name>.png`` under ``screenshots/`` of
the test results folder (``GOV_RESULTS_DIR``, else ``test-results/`` of the
repository). The step should wait a moment after logging, so that the
picture shows the screen it names.
"""

import base64
import os
import re
from pathlib import Path
from unittest.mock import patch

from odoo.tests.common import ChromeBrowser

PREFIX = "gov-screenshot:"


def screenshots_dir():
    results = os.environ.get("GOV_RESULTS_DIR")
    root = (
        Path(results)
        if results
        else Path(__file__).resolve().parents[2] / "test-results"
    )
    return root / "screenshots"


class ScreenshotTourMixin:
    """For ``HttpCase`` subclasses; the browser has a laptop's screen."""

    browser_size = "1440x900"

    def start_tour_with_screenshots(self, url_path, tour_name, **kwargs):
        original = ChromeBrowser._handle_console
        folder = screenshots_dir()
        taken = []

        def save(name, future):
            data = future.result(timeout=0).get("data")
            if data:
                folder.mkdir(parents=True, exist_ok=True)
                (folder / f"{name}.png").write_bytes(base64.b64decode(data))
                taken.append(name)

        def handle_console(browser, type, args=None, **kw):
            first = args[0].get("value") if args else None
            if isinstance(first, str) and first.startswith(PREFIX):
                name = re.sub(r"\W", "_", first[len(PREFIX) :])
                future = browser._websocket_send(
                    "Page.captureScreenshot", with_future=True
                )
                future.add_done_callback(lambda f, n=name: save(n, f))
                return None
            return original(browser, type, args=args, **kw)

        with patch.object(ChromeBrowser, "_handle_console", handle_console):
            self.start_tour(url_path, tour_name, **kwargs)
        return taken
