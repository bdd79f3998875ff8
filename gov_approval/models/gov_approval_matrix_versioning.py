# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What makes a matrix version, and what applies one.

Every create, write and delete of a matrix, a band or a step opens a
*version scope*; when the outermost one closes, each matrix it touched is
compared with its applied version (``gov.approval.matrix.version``): a
matrix that governs, or governed, gets a new version when it differs. With
four eyes in its company, the new state waits as a pending version and the
matrix is put back as its applied version, in the same transaction: no
routing ever sees a change another Matrix Manager has not approved.

A snapshot is plain JSON: the stored fields a Matrix Manager sets on the
matrix, its bands and their steps (fields other modules add included).
"""

import json
from contextlib import contextmanager
from contextvars import ContextVar

from odoo import api, fields, models
from odoo.fields import Command

from .gov_approval_matrix_version import version_writes

# matrix ids touched by the open scope (None: no scope open); True while a
# snapshot is applied (no versions are made from it)
_touched = ContextVar("gov_approval_version_touched", default=None)
_applying = ContextVar("gov_approval_version_applying", default=False)
# True while matrices are created: their bands and steps, created with them,
# change no earlier state (no baseline to keep)
_creating = ContextVar("gov_approval_version_creating", default=False)
SKIPPED = frozenset(
    {
        "id",
        "create_uid",
        "create_date",
        "write_uid",
        "write_date",
        "matrix_id",
        "line_id",
    }
)


def version_fields(model):
    """The fields of ``model`` a snapshot keeps: stored, set by a person."""
    return [
        name
        for name, field in model._fields.items()
        if field.store
        and name not in SKIPPED
        and field.type != "one2many"
        and not field.related
        and not (field.compute and field.readonly)
    ]


def to_json(record, names):
    values = {}
    for name in names:
        field, value = record._fields[name], record[name]
        if field.type == "many2one":
            value = value.id or False
        elif field.type == "many2many":
            value = sorted(value.ids)
        elif field.type in ("date", "datetime"):
            value = fields.Datetime.to_string(value) if value else False
        values[name] = value
    return values


def to_write(model, values):
    """Snapshot values as ``write`` takes them (fields gone since are left)."""
    vals = {}
    for name, value in values.items():
        field = model._fields.get(name)
        if not field or name in ("id", "steps"):
            continue
        vals[name] = [Command.set(value)] if field.type == "many2many" else value
    return vals


@contextmanager
def version_scope(matrices):
    """Make versions of the matrices touched inside, once, at the end."""
    if _applying.get():
        yield
        return
    touched = _touched.get()
    outermost = touched is None
    if outermost:
        touched = set()
        token = _touched.set(touched)
    try:
        for matrix in matrices:
            if matrix.id not in touched and isinstance(matrix.id, int):
                if not _creating.get():
                    matrix._gov_version_baseline()
                touched.add(matrix.id)
        yield touched
    finally:
        if outermost:
            _touched.reset(token)
    if outermost and touched:
        Matrix = matrices.env["gov.approval.matrix"].sudo()
        for matrix in Matrix.with_context(active_test=False).browse(touched).exists():
            matrix._gov_version_record()


@contextmanager
def applying():
    token = _applying.set(True)
    try:
        yield
    finally:
        _applying.reset(token)


def snapshot_applying():
    return _applying.get()


class GovApprovalMatrix(models.Model):
    _inherit = "gov.approval.matrix"  # pylint: disable=consider-merging-classes-inherited

    version_ids = fields.One2many(
        "gov.approval.matrix.version", "matrix_id", string="Versions", readonly=True
    )
    version_number = fields.Integer(string="Version", compute="_compute_version_info")
    pending_version_count = fields.Integer(compute="_compute_version_info")
    four_eyes = fields.Boolean(
        related="company_id.gov_approval_matrix_four_eyes",
        string="Changes Need a Second Matrix Manager",
    )

    @api.depends("version_ids.state")
    def _compute_version_info(self):
        for matrix in self:
            versions = matrix.sudo().version_ids
            applied = versions.filtered(lambda v: v.state == "applied")[:1]
            matrix.version_number = applied.number
            matrix.pending_version_count = len(
                versions.filtered(lambda v: v.state == "pending")
            )

    # ------------------------------------------------------------------
    # Snapshots
    # ------------------------------------------------------------------
    def _gov_snapshot(self):
        """The matrix as plain JSON (what a version keeps)."""
        self.ensure_one()
        matrix = self.sudo().with_context(active_test=False)
        Line, Step = self.env["gov.approval.matrix.line"], self.env["gov.approval.step"]
        line_names, step_names = version_fields(Line), version_fields(Step)
        values = {
            "matrix": {
                **to_json(matrix, version_fields(self)),
                "active": matrix.active,
            },
            "bands": [
                {
                    "id": line.id,
                    **to_json(line, line_names),
                    "steps": [
                        {"id": step.id, **to_json(step, step_names)}
                        for step in line.step_ids
                    ],
                }
                for line in matrix.line_ids
            ],
        }
        return json.loads(json.dumps(values, default=str))

    def _gov_apply_snapshot(self, snapshot):
        """Make the matrix what ``snapshot`` says: settings, bands, steps
        (kept by id where they still exist, made again otherwise)."""
        self.ensure_one()
        matrix = self.sudo().with_context(active_test=False)
        Line = self.env["gov.approval.matrix.line"].sudo()
        Step = self.env["gov.approval.step"].sudo()
        with applying():
            wanted = {band["id"] for band in snapshot["bands"]}
            matrix.line_ids.filtered(lambda line: line.id not in wanted).unlink()
            matrix.write(to_write(matrix, snapshot["matrix"]))
            for band in snapshot["bands"]:
                line = Line.browse(band["id"]).exists()
                vals = to_write(Line, band)
                if line.matrix_id == matrix:
                    line.write(vals)
                else:
                    line = Line.create({**vals, "matrix_id": matrix.id})
                steps = {step["id"] for step in band["steps"]}
                line.step_ids.filtered(lambda step, s=steps: step.id not in s).unlink()
                for step_values in band["steps"]:
                    step = Step.browse(step_values["id"]).exists()
                    vals = to_write(Step, step_values)
                    if step.line_id == line:
                        step.write(vals)
                    else:
                        Step.create({**vals, "line_id": line.id})
        matrix.line_ids._check_overlap()
        self.env.registry.clear_cache()

    # ------------------------------------------------------------------
    # Versions
    # ------------------------------------------------------------------
    def _gov_current_version(self):
        self.ensure_one()
        return (
            self.env["gov.approval.matrix.version"]
            .sudo()
            .search(
                [("matrix_id", "=", self.id), ("state", "=", "applied")],
                order="number desc",
                limit=1,
            )
        )

    def _gov_version_baseline(self):
        """An active matrix changed for the first time since versions exist:
        its state before the change is kept as its first version."""
        self.ensure_one()
        if not self.active or self.sudo().version_ids:
            return
        self._gov_version_create(self._gov_snapshot(), "applied", "baseline")

    def _gov_version_create(self, snapshot, state, origin, base=None, rollback_of=None):
        Version = self.env["gov.approval.matrix.version"].sudo()
        last = Version.search(
            [("matrix_id", "=", self.id)], order="number desc", limit=1
        )
        base = base if base is not None else self._gov_current_version()
        with version_writes():
            version = Version.create(
                {
                    "matrix_id": self.id,
                    "number": last.number + 1,
                    "state": state,
                    "origin": origin,
                    "snapshot": snapshot,
                    "base_version_id": base.id,
                    "rollback_of_id": rollback_of.id if rollback_of else False,
                    "diff_text": Version._diff(
                        self, base.snapshot if base else None, snapshot
                    ),
                    "author_id": Version._acting_uid(),
                    "is_active_matrix": snapshot["matrix"]["active"],
                }
            )
            if state == "applied" and base:
                base.write({"state": "replaced"})
        self.env.registry.clear_cache()
        return version

    def _gov_version_record(self):
        """After a change: a new version when the matrix governs, or did."""
        self.ensure_one()
        current = self._gov_current_version()
        if not self.active and not (current and current.is_active_matrix):
            return  # a draft that stays a draft
        snapshot = self._gov_snapshot()
        if current and snapshot == current.snapshot:
            return
        self._gov_version_propose(snapshot, "change", current=current, restore=True)

    def _gov_version_propose(
        self, snapshot, origin, current=None, restore=False, rollback_of=None
    ):
        """Apply ``snapshot`` as a new version, or, with four eyes, keep it
        pending (the matrix is put back as its applied version)."""
        self.ensure_one()
        current = current if current is not None else self._gov_current_version()
        if not self.company_id.gov_approval_matrix_four_eyes:
            if not restore:
                self._gov_apply_snapshot(snapshot)
            version = self._gov_version_create(
                snapshot, "applied", origin, base=current, rollback_of=rollback_of
            )
            self._audit(
                "approval.matrix_version_applied",
                {"version": current.number or False},
                {"version": version.number, "origin": origin},
            )
            return True
        version = self._gov_version_create(
            snapshot, "pending", origin, base=current, rollback_of=rollback_of
        )
        if restore:
            if current:
                self._gov_apply_snapshot(current.snapshot)
            else:
                with applying():
                    self.sudo().write({"active": False})
        self._audit(
            "approval.matrix_version_pending",
            {"version": current.number or False},
            {"version": version.number, "origin": origin},
        )
        self.env.user._bus_send(
            "simple_notification",
            {
                "type": "warning",
                "title": self.env._("Approval required"),
                "message": self.env._(
                    "The change of %(matrix)s waits for another Matrix Manager"
                    " (version %(number)s); the matrix keeps its applied version.",
                    matrix=self.name,
                    number=version.number,
                ),
            },
        )
        return True

    def _build_route_config(self):
        config = super()._build_route_config()
        config["version_id"] = self._gov_current_version().id or False
        return config

    # ------------------------------------------------------------------
    # Hooks: every change of a matrix, band or step is in a version scope
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        with version_scope(self.browse()) as touched:
            token = _creating.set(True)
            try:
                matrices = super().create(vals_list)
            finally:
                _creating.reset(token)
            if touched is not None:
                touched.update(matrices.ids)
        return matrices

    def write(self, vals):
        with version_scope(self):
            return super().write(vals)

    def unlink(self):
        with version_scope(self):
            return super().unlink()

    def action_open_replay(self):
        """A replay of the matrix as it is now (a draft before activation)."""
        self.ensure_one()
        return self.env["gov.approval.replay"]._open_for(self)

    def action_open_versions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "gov_approval.gov_approval_matrix_version_action"
        )
        action["domain"] = [("matrix_id", "=", self.id)]
        action["context"] = {}
        return action


class GovApprovalVersionedPart(models.AbstractModel):
    """A part of a matrix (a band, a step): each of its creates, writes and
    deletes runs in the version scope of its matrix."""

    _name = "gov.approval.versioned.part"
    _description = "Part of a Versioned Approval Matrix"

    @api.model
    def _gov_matrices_of(self, vals_list):
        """The matrices the records created from ``vals_list`` belong to."""
        raise NotImplementedError

    @api.model_create_multi
    def create(self, vals_list):
        with version_scope(self._gov_matrices_of(vals_list)):
            return super().create(vals_list)

    def write(self, vals):
        with version_scope(self.matrix_id):
            return super().write(vals)

    def unlink(self):
        with version_scope(self.matrix_id):
            return super().unlink()


class GovApprovalMatrixLine(models.Model):
    _name = "gov.approval.matrix.line"
    _inherit = ["gov.approval.matrix.line", "gov.approval.versioned.part"]

    @api.model
    def _gov_matrices_of(self, vals_list):
        return self.env["gov.approval.matrix"].browse(
            [vals["matrix_id"] for vals in vals_list if vals.get("matrix_id")]
        )

    @api.constrains("min_amount", "max_amount", "domain", "matrix_id")
    def _check_overlap(self):
        if snapshot_applying():
            return None  # checked once the whole snapshot is applied
        return super()._check_overlap()


class GovApprovalStep(models.Model):
    _name = "gov.approval.step"
    _inherit = ["gov.approval.step", "gov.approval.versioned.part"]

    @api.model
    def _gov_matrices_of(self, vals_list):
        return (
            self.env["gov.approval.matrix.line"]
            .browse([vals["line_id"] for vals in vals_list if vals.get("line_id")])
            .matrix_id
        )
