# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Screenshots taken by tours, to be looked at: a tour step logs
``gov-screen:<name>`` in the console (``screenStep()`` of
``gov_base/static/tests/tours/tour_screens.js``) and the screen is saved as
``test-results/screens/<name>.png`` (under ``GOV_RESULTS_DIR`` when set)."""

import binascii
import os
import pathlib
import re
from unittest.mock import patch

from odoo.tests.common import ChromeBrowser

PREFIX = "gov-screen:"


def screens_dir():
    root = os.environ.get("GOV_RESULTS_DIR") or (
        pathlib.Path(__file__).resolve().parents[2] / "test-results"
    )
    path = pathlib.Path(root) / "screens"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _save_screen(browser, name, taken):
    path = screens_dir() / f"{re.sub(r'[^A-Za-z0-9_-]+', '_', name)}.png"

    def write(future):
        try:
            data = future.result(timeout=0)["data"]
        except Exception:
            return
        path.write_bytes(binascii.a2b_base64(data))
        taken.append(path.stem)

    future = browser._websocket_send("Page.captureScreenshot", with_future=True)
    if future:
        future.add_done_callback(write)


class TourScreensMixin:
    """For an ``HttpCase``: its tours save the screens they name, at the
    size of a laptop screen."""

    browser_size = "1440x900"
    # names of the screens saved by the last tour of the test
    screens_taken = ()

    def _warm_assets(self):
        """Build the web client's bundles before the browser asks for them:
        on a busy machine, building them while the page loads holds the test
        cursor long enough for the page's other requests to give up."""
        QWeb = self.env["ir.qweb"]
        for name in ("web.assets_web", "web.assets_tests"):
            bundle = QWeb._get_asset_bundle(name)
            bundle.css()
            bundle.js()

    def browser_js(self, *args, **kwargs):
        self._warm_assets()
        original = ChromeBrowser._handle_console
        taken = self.screens_taken = []

        def handle_console(browser, type, args=None, stackTrace=None, **kw):
            if type == "log" and args:
                text = str(args[0].get("value", ""))
                if text.startswith(PREFIX):
                    _save_screen(browser, text[len(PREFIX) :], taken)
            return original(browser, type, args=args, stackTrace=stackTrace, **kw)

        with patch.object(ChromeBrowser, "_handle_console", handle_console):
            return super().browser_js(*args, **kwargs)
