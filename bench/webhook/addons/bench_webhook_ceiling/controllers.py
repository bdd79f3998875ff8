# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import http


class WebhookCeilingController(http.Controller):
    """The cheapest POST Odoo serves on a database: the benchmark's ceiling."""

    @http.route(
        "/bench/webhook/bare",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def bare(self, **_params):
        return http.request.make_json_response({"status": "ok"})
