# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

PROVIDER_KINDS = [
    ("builtin", "Built-in (offline)"),
    ("openai_compatible", "OpenAI-compatible HTTP"),
]


class GovAiProvider(models.Model):
    """Where recommendations come from; the built-in one never leaves the DB."""

    _name = "gov.ai.provider"
    _description = "AI Provider"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(PROVIDER_KINDS, required=True, default="builtin")
    base_url = fields.Char(
        string="Base URL", help="e.g. http://localhost:11434/v1 for Ollama."
    )
    model_name = fields.Char(string="Model", help="Model identifier sent to the API.")
    # Write-only: set through the key wizard, never read back by anybody.
    api_key = fields.Char(string="API Key", groups=fields.NO_ACCESS, copy=False)
    has_api_key = fields.Boolean(string="Key Set", compute="_compute_has_api_key")
    timeout = fields.Integer(
        string="Timeout (seconds)", default=30, help="Longest wait for one answer."
    )
    company_id = fields.Many2one("res.company", index=True)
    active = fields.Boolean(default=True)

    _timeout_positive = models.Constraint(
        "CHECK (timeout > 0 AND timeout <= 600)",
        "The timeout must be between 1 and 600 seconds.",
    )

    def _compute_has_api_key(self):
        rows = dict(
            self.env.execute_query(
                SQL(
                    "SELECT id, api_key IS NOT NULL AND api_key != ''"
                    " FROM gov_ai_provider WHERE id IN %s",
                    tuple(self.ids) or (0,),
                )
            )
        )
        for provider in self:
            provider.has_api_key = bool(rows.get(provider.id))

    def _set_api_key(self, key):
        """Store a new key (or clear it); audited, never echoed."""
        self.ensure_one()
        self.check_access("write")
        self.sudo().write({"api_key": key or False})
        self.env["gov.audit.event"].record(
            "ai.provider_key_set" if key else "ai.provider_key_cleared",
            self.env._("API key of AI provider %s changed", self.name),
            record=self,
        )

    def action_open_key_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Set API Key"),
            "res_model": "gov.ai.provider.key.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_provider_id": self.id},
        }

    @api.private
    def _gov_ai_predict(self, use_case, record, data):
        """Run the use case's task on ``record`` given its minimised ``data``.

        Returns a dict: ``label``, ``score``, ``confidence``, ``summary``,
        ``suggested_action``, ``explanation``, ``evidence``, ``detector_version``
        and optionally ``tokens`` and ``cost``. A provider that cannot answer
        raises :class:`UserError`; the engine then falls back.
        """
        self.ensure_one()
        method = getattr(self, f"_gov_ai_predict_{self.kind}", None)
        if method is None:
            raise UserError(
                self.env._("Provider %s cannot answer yet.", self.display_name)
            )
        return method(use_case, record, data)

    def _gov_ai_predict_builtin(self, use_case, record, data):
        detector = getattr(use_case, f"_gov_ai_detect_{use_case.task}", None)
        if detector is None:
            raise UserError(
                self.env._(
                    "The built-in provider has no detector for the task %s.",
                    use_case.task,
                )
            )
        return detector(record, data)
