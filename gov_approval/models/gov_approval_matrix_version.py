# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A saved state of an approval matrix (its settings, bands and steps).

Every change of an active matrix makes a version, kept with what changed in
words; requests remember the version that routed them. Where the company
asks for four eyes on matrices, a change waits as a *pending* version that
another Matrix Manager approves (the matrix keeps its applied version
meanwhile); anyone of them may roll a matrix back to an earlier version.
Versions are written by the engine only (``gov.engine.mixin``); what makes
them is in ``gov_approval_matrix_versioning.py``.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.gov_base.tools.engine import engine_writes, principal_uid

VERSION_MODEL = "gov.approval.matrix.version"
MATRIX_MANAGER = "gov_base.gov_base_group_matrix_manager"


def version_writes():
    """The engine's grant to write matrix versions."""
    return engine_writes(VERSION_MODEL)


class GovApprovalMatrixVersion(models.Model):
    _name = VERSION_MODEL
    _description = "Approval Matrix Version"
    _inherit = ["gov.engine.mixin"]
    _order = "matrix_id, number desc, id desc"
    _check_company_auto = True

    matrix_id = fields.Many2one(
        "gov.approval.matrix",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
        context={"active_test": False},
    )
    company_id = fields.Many2one(related="matrix_id.company_id", store=True, index=True)
    number = fields.Integer(readonly=True)
    state = fields.Selection(
        [
            ("pending", "Waiting for a Second Matrix Manager"),
            ("applied", "Applied"),
            ("replaced", "Replaced"),
            ("rejected", "Rejected"),
        ],
        required=True,
        readonly=True,
        index=True,
    )
    origin = fields.Selection(
        [
            ("change", "Change"),
            ("rollback", "Roll Back"),
            ("baseline", "State Before Versioning"),
        ],
        required=True,
        readonly=True,
        default="change",
    )
    snapshot = fields.Json(readonly=True, copy=False)
    base_version_id = fields.Many2one(
        VERSION_MODEL,
        string="Changes Version",
        readonly=True,
        help="The version applied when this one was proposed.",
    )
    rollback_of_id = fields.Many2one(VERSION_MODEL, string="Restores", readonly=True)
    diff_text = fields.Text(string="What Changed", readonly=True)
    author_id = fields.Many2one("res.users", readonly=True)
    reviewer_id = fields.Many2one("res.users", string="Approved By", readonly=True)
    review_date = fields.Datetime(readonly=True)
    is_active_matrix = fields.Boolean(
        string="Matrix Active", readonly=True, help="Whether the matrix governs."
    )
    request_count = fields.Integer(compute="_compute_request_count")
    can_review = fields.Boolean(compute="_compute_can_review")

    _number_unique = models.UniqueIndex("(matrix_id, number)")

    @api.depends("matrix_id.name", "number")
    def _compute_display_name(self):
        for version in self:
            version.display_name = self.env._(
                "%(matrix)s, version %(number)s",
                matrix=version.matrix_id.name,
                number=version.number,
            )

    def _compute_request_count(self):
        counts = dict(
            self.env["gov.approval.request"]._read_group(
                [("matrix_version_id", "in", self.ids)],
                ["matrix_version_id"],
                ["__count"],
            )
        )
        for version in self:
            version.request_count = counts.get(version, 0)

    @api.depends_context("uid")
    def _compute_can_review(self):
        uid = self._acting_uid()
        manager = self.env.user.has_group(MATRIX_MANAGER)
        for version in self:
            version.can_review = (
                manager and version.state == "pending" and version.author_id.id != uid
            )

    def _acting_uid(self):
        return principal_uid(self.env) or self.env.uid

    # ------------------------------------------------------------------
    # What changed, in words
    # ------------------------------------------------------------------
    @api.model
    def _diff(self, matrix, before, after):
        """One line per change between two snapshots of ``matrix``."""
        if not before:
            return self.env._(
                "First version: %(bands)s band(s).", bands=len(after["bands"])
            )
        Line = self.env["gov.approval.matrix.line"]
        Step = self.env["gov.approval.step"]
        lines = self._diff_values(matrix, before["matrix"], after["matrix"])
        old_bands = {band["id"]: band for band in before["bands"]}
        new_bands = {band["id"]: band for band in after["bands"]}
        for band_id, band in new_bands.items():
            old = old_bands.get(band_id)
            if not old:
                lines.append(
                    self.env._(
                        "Band %(band)s added, steps: %(steps)s.",
                        band=band.get("name"),
                        steps=", ".join(s.get("name", "") for s in band["steps"])
                        or self.env._("none"),
                    )
                )
                continue
            for change in self._diff_values(Line, old, band):
                lines.append(f"{band.get('name')}: {change}")
            old_steps = {step["id"]: step for step in old["steps"]}
            new_steps = {step["id"]: step for step in band["steps"]}
            for step_id, step in new_steps.items():
                if step_id not in old_steps:
                    lines.append(
                        self.env._(
                            "%(band)s: step %(step)s added.",
                            band=band.get("name"),
                            step=step.get("name"),
                        )
                    )
                    continue
                for change in self._diff_values(Step, old_steps[step_id], step):
                    lines.append(f"{band.get('name')}, {step.get('name')}: {change}")
            for step_id, step in old_steps.items():
                if step_id not in new_steps:
                    lines.append(
                        self.env._(
                            "%(band)s: step %(step)s removed.",
                            band=band.get("name"),
                            step=step.get("name"),
                        )
                    )
        for band_id, band in old_bands.items():
            if band_id not in new_bands:
                lines.append(
                    self.env._("Band %(band)s removed.", band=band.get("name"))
                )
        return "\n".join(lines) or self.env._("No change.")

    @api.model
    def _diff_values(self, model, before, after):
        changes = []
        for name, value in after.items():
            if name in ("id", "steps") or before.get(name) == value:
                continue
            field = model._fields.get(name)
            if not field:
                continue
            label = field._description_string(self.env)
            if name == "domain":
                changes.append(self.env._("%(label)s changed.", label=label))
                continue
            changes.append(
                f"{label}: {self._display(field, before.get(name))}"
                f" → {self._display(field, value)}"
            )
        return changes

    @api.model
    def _display(self, field, value):
        if field.type == "many2one":
            record = self.env[field.comodel_name].sudo().browse(value or []).exists()
            return record.display_name or "–"
        if field.type == "many2many":
            records = self.env[field.comodel_name].sudo().browse(value or []).exists()
            return ", ".join(records.mapped("display_name")) or "–"
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, value or "–")
        if field.type == "boolean":
            return self.env._("Yes") if value else self.env._("No")
        return "–" if value in (False, None, "") else str(value)

    # ------------------------------------------------------------------
    # Decisions of Matrix Managers
    # ------------------------------------------------------------------
    def _check_manager(self):
        """Matrix Managers of the matrix's company only."""
        if not self.env.user.has_group(MATRIX_MANAGER):
            raise AccessError(
                self.env._("Only Matrix Managers review and restore matrix versions.")
            )
        self.check_access("read")
        self.matrix_id.check_access("write")

    def action_approve(self):
        """Apply a pending version: by another Matrix Manager than its author."""
        self._check_manager()
        for version in self:
            if version.state != "pending":
                raise UserError(
                    self.env._(
                        "%(version)s is not waiting.", version=version.display_name
                    )
                )
            if version.author_id.id in (self._acting_uid(), self.env.uid):
                raise AccessError(
                    self.env._(
                        "A change of a matrix is approved by another Matrix Manager"
                        " than its author."
                    )
                )
            matrix = version.matrix_id.sudo()
            current = matrix._gov_current_version()
            if current != version.base_version_id:
                raise UserError(
                    self.env._(
                        "%(matrix)s changed since %(version)s was proposed: reject it"
                        " and propose the change again.",
                        matrix=matrix.name,
                        version=version.display_name,
                    )
                )
            matrix._gov_apply_snapshot(version.snapshot)
            with version_writes():
                current.sudo().write({"state": "replaced"})
                version.sudo().write(
                    {
                        "state": "applied",
                        "reviewer_id": self.env.uid,
                        "review_date": fields.Datetime.now(),
                    }
                )
            self.env.registry.clear_cache()
            matrix._audit(
                "approval.matrix_version_applied",
                {"version": current.number or False},
                {"version": version.number, "approved_by": self.env.user.name},
            )
        return True

    def action_reject(self):
        """Turn a pending version down (its author withdraws it the same way)."""
        self._check_manager()
        for version in self.filtered(lambda v: v.state == "pending"):
            with version_writes():
                version.sudo().write(
                    {
                        "state": "rejected",
                        "reviewer_id": self.env.uid,
                        "review_date": fields.Datetime.now(),
                    }
                )
            version.matrix_id.sudo()._audit(
                "approval.matrix_version_rejected",
                {"version": version.number},
                {"rejected_by": self.env.user.name},
            )
        return True

    def action_rollback(self):
        """Bring the matrix back to this version: a new version restoring it,
        applied now or, with four eyes, waiting for another Matrix Manager."""
        self.ensure_one()
        self._check_manager()
        if self.state not in ("applied", "replaced"):
            raise UserError(
                self.env._("Only a version that was applied can be restored.")
            )
        matrix = self.matrix_id.sudo()
        if matrix._gov_current_version() == self:
            raise UserError(
                self.env._("%(version)s is the one applied.", version=self.display_name)
            )
        return matrix._gov_version_propose(self.snapshot, "rollback", rollback_of=self)

    def action_open_replay(self):
        """A replay of this pending change before it is approved."""
        self.ensure_one()
        return self.env["gov.approval.replay"]._open_for(self.matrix_id, self)

    def action_view_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "gov_approval.gov_approval_request_action_all"
        )
        action["domain"] = [("matrix_version_id", "=", self.id)]
        action["context"] = {}
        return action
