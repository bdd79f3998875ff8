# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..tools.params import int_param


class ResConfigSettings(models.TransientModel):
    """The "Governance" section of Settings: home of every suite setting."""

    _inherit = "res.config.settings"

    gov_audit_break_alert = fields.Selection(
        [
            ("inbox", "Notify auditors and governance administrators"),
            ("log", "Server log only"),
        ],
        string="Broken audit chain alert",
        config_parameter="gov_base.audit_break_alert",
        default="inbox",
        help="Who hears about a verification that finds the audit chain broken.",
    )
    gov_audit_last_verification_id = fields.Many2one(
        "gov.audit.verification",
        string="Last verification",
        compute="_compute_gov_audit_status",
    )
    gov_audit_unsealed_count = fields.Integer(
        string="Unsealed audit events", compute="_compute_gov_audit_status"
    )
    gov_sod_rule_count = fields.Integer(
        string="Active segregation of duties rules", compute="_compute_gov_sod_status"
    )
    gov_sod_violation_count = fields.Integer(
        string="Users in violation", compute="_compute_gov_sod_status"
    )

    @api.depends("company_id")
    def _compute_gov_audit_status(self):
        last = self.env["gov.audit.verification"].sudo().search([], limit=1)
        unsealed = (
            self.env["gov.audit.event"].sudo().search_count([("hash", "=", False)])
        )
        for settings in self:
            settings.gov_audit_last_verification_id = last
            settings.gov_audit_unsealed_count = unsealed

    @api.depends("company_id")
    def _compute_gov_sod_status(self):
        rules = self.env["gov.sod.rule"].sudo().search_count([])
        violations = len(
            self.env["gov.sod.violation"]
            .sudo()
            ._read_group([("user_active", "=", True)], ["user_id"])
        )
        for settings in self:
            settings.gov_sod_rule_count = rules
            settings.gov_sod_violation_count = violations

    def action_gov_verify_audit_chain(self):
        return self.env["gov.audit.verification"].action_verify()

    # ------------------------------------------------------------------
    # Whole numbers kept as system parameters, 0 included
    # ------------------------------------------------------------------
    @api.model
    def _gov_int_params(self):
        """``{setting field: (system parameter, default)}`` of the settings
        whose 0 means something (keep forever, never remind). Odoo's
        ``config_parameter`` removes a parameter set to 0, which would bring
        the default back; these are read and written here instead. Modules
        add theirs by extending this method."""
        return {}

    @api.model
    def get_values(self):
        res = super().get_values()
        for name, (key, default) in self._gov_int_params().items():
            res[name] = int_param(self.env, key, default)
        return res

    def set_values(self):
        res = super().set_values()
        params = self.env["ir.config_parameter"].sudo()
        for name, (key, default) in self._gov_int_params().items():
            value = str(self[name])
            if int_param(self.env, key, default) != self[name]:
                params.set_param(key, value)
        return res
