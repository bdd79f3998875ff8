# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What-if: a draft matrix or a pending version replayed over past documents.

Before a matrix is activated, or a change of it approved, the documents of
its model from the last months are routed twice: as matrices govern today,
and as they would once the draft (or the change) is applied. The report
counts the documents that need approval per band and step, the load per
approver, and the difference. Routing follows the engine's rule (the
precedence of ``_route_candidates``, bands with conditions first, bounds in
company currency at the document date), read from version snapshots, in a
few queries whatever the number of documents.
"""

import time
from collections import Counter

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..models.gov_approval_matrix_version import MATRIX_MANAGER

LEVELS = [("band", "Band"), ("step", "Step"), ("approver", "Approver")]


class GovApprovalReplay(models.TransientModel):
    _name = "gov.approval.replay"
    _description = "Replay of an Approval Matrix over Past Documents"

    matrix_id = fields.Many2one("gov.approval.matrix", required=True, readonly=True)
    version_id = fields.Many2one(
        "gov.approval.matrix.version",
        string="Pending Version",
        readonly=True,
        domain="[('matrix_id', '=', matrix_id), ('state', '=', 'pending')]",
        help="Replay this change instead of the matrix as it is.",
    )
    months = fields.Integer(default=12, required=True)
    date_from = fields.Date(readonly=True)
    document_count = fields.Integer(string="Documents Replayed", readonly=True)
    proposed_count = fields.Integer(string="Would Need Approval", readonly=True)
    current_count = fields.Integer(string="Need Approval Today", readonly=True)
    difference = fields.Integer(readonly=True)
    seconds = fields.Float(string="Replayed In (s)", readonly=True, digits=(16, 2))
    summary = fields.Text(readonly=True)
    line_ids = fields.One2many("gov.approval.replay.line", "replay_id", readonly=True)

    _check_months = models.Constraint(
        "CHECK (months > 0 AND months <= 60)", "Replay 1 to 60 months."
    )

    @api.depends("matrix_id.name", "version_id.number")
    def _compute_display_name(self):
        for replay in self:
            replay.display_name = (
                self.env._(
                    "Replay of %(matrix)s, version %(number)s",
                    matrix=replay.matrix_id.name,
                    number=replay.version_id.number,
                )
                if replay.version_id
                else self.env._("Replay of %(matrix)s", matrix=replay.matrix_id.name)
            )

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------
    def action_replay(self):
        """Run the replay (Matrix Managers of the matrix's company)."""
        self.ensure_one()
        if not self.env.user.has_group(MATRIX_MANAGER):
            raise AccessError(self.env._("Only Matrix Managers replay matrices."))
        self.check_access("write")
        self.matrix_id.check_access("read")
        self._run()
        return True

    @api.model
    def _open_for(self, matrix, version=None):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Replay %(matrix)s", matrix=matrix.name),
            "res_model": self._name,
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_matrix_id": matrix.id,
                "default_version_id": version.id if version else False,
            },
        }

    def action_open_graph(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Replay Figures"),
            "res_model": "gov.approval.replay.line",
            "view_mode": "graph,list",
            "domain": [("replay_id", "=", self.id)],
            "context": {"search_default_level_approver": 1},
        }

    # ------------------------------------------------------------------
    # The replay
    # ------------------------------------------------------------------
    def _run(self):
        started = time.perf_counter()
        matrix = self.matrix_id.sudo()
        model = self.env[matrix.res_model].sudo()
        date_from = fields.Date.context_today(self) - relativedelta(months=self.months)
        siblings = [
            m for m in matrix._siblings() if m.active and m != matrix
        ]  # the other active matrices of the action, in precedence order
        current = matrix._gov_current_version()
        today = [*siblings]
        if matrix.active and current:
            today.append(matrix)
        today.sort(key=lambda m: m._precedence_key())
        proposed_snapshot = (
            self.version_id.snapshot if self.version_id else matrix._gov_snapshot()
        )
        proposed = [*siblings, matrix]
        proposed.sort(key=lambda m: m._precedence_key())
        snapshots_today = [
            (m.name, current.snapshot if m == matrix else m._gov_snapshot())
            for m in today
        ]
        snapshots_proposed = [
            (m.name, proposed_snapshot if m == matrix else m._gov_snapshot())
            for m in proposed
        ]
        documents = self._documents(matrix, model, date_from)
        counts_today = self._route_all(model, documents, snapshots_today)
        counts_proposed = self._route_all(model, documents, snapshots_proposed)
        self._write_lines(counts_proposed, counts_today)
        proposed_total = counts_proposed["total"]
        current_total = counts_today["total"]
        self.write(
            {
                "date_from": date_from,
                "document_count": len(documents),
                "proposed_count": proposed_total,
                "current_count": current_total,
                "difference": proposed_total - current_total,
                "seconds": time.perf_counter() - started,
                "summary": self.env._(
                    "Of %(count)s documents since %(date)s, %(proposed)s would need"
                    " approval with this version of %(matrix)s, against %(current)s"
                    " as matrices govern today (%(diff)+d).",
                    count=len(documents),
                    date=fields.Date.to_string(date_from),
                    proposed=proposed_total,
                    matrix=matrix.name,
                    current=current_total,
                    diff=proposed_total - current_total,
                ),
            }
        )

    def _documents(self, matrix, model, date_from):
        """The ids of the matrix's documents since ``date_from`` (its action's
        scope, its company)."""
        date_field = model._gov_approval_date_field or "create_date"
        domain = [(date_field, ">=", date_from)]
        company_field = model._gov_approval_company_field
        if company_field in model._fields:
            domain.append((company_field, "in", (matrix.company_id.id, False)))
        key = matrix._governed_key().partition(":")[2]
        scope = (model._gov_approval_actions.get(key) or {}).get("domain")
        if scope:
            domain += scope
        return model.with_context(active_test=False).search(domain, order="id").ids

    def _route_all(self, model, ids, snapshots):
        """Route the documents ``ids`` over ``snapshots`` (name, snapshot) in
        precedence order: counts per band, step and approver."""
        counts = {"band": Counter(), "step": Counter(), "approver": Counter()}
        counts["total"] = 0
        left = set(ids)
        company = self.matrix_id.company_id
        for name, snapshot in snapshots:
            if not left:
                break
            settings = snapshot["matrix"]
            matched = self._filtered(model, left, settings.get("domain"))
            left -= matched
            amounts = self._amounts(model, matched, settings, company)
            bands = sorted(
                snapshot["bands"],
                key=lambda b: (not self._has_conditions(b), b.get("sequence", 0)),
            )
            conditional = {
                band["id"]: self._filtered(model, matched, band.get("domain"))
                for band in bands
                if self._has_conditions(band)
            }
            users_of = {"ids": tuple(matched)}
            for doc_id, amount in amounts.items():
                band = self._band(bands, conditional, doc_id, amount, company)
                if not band or not band["steps"]:
                    continue
                counts["total"] += 1
                band_label = f"{name}: {band.get('name')}"
                counts["band"][band_label] += 1
                for step in band["steps"]:
                    counts["step"][f"{band_label} / {step.get('name')}"] += 1
                    for user in self._approvers(model, step, doc_id, users_of):
                        counts["approver"][user] += 1
        return counts

    @api.model
    def _has_conditions(self, band):
        return "".join((band.get("domain") or "[]").split()) != "[]"

    def _filtered(self, model, ids, domain_text):
        if not ids:
            return set()
        domain = self.env["gov.approval.matrix"]._parse_domain(domain_text, model._name)
        if not domain:
            return set(ids)
        return set(
            model.with_context(active_test=False)
            .search([("id", "in", list(ids)), *domain])
            .ids
        )

    def _amounts(self, model, ids, settings, company):
        """Amounts in company currency at each document's date, in a few queries."""
        if not ids:
            return {}
        Fields = self.env["ir.model.fields"].sudo()
        amount_field = Fields.browse(settings.get("amount_field_id") or []).name or (
            model._gov_approval_amount_field
        )
        currency_field = Fields.browse(
            settings.get("currency_field_id") or []
        ).name or (model._gov_approval_currency_field)
        date_field = model._gov_approval_date_field
        names = [
            n for n in (amount_field, currency_field, date_field) if n in model._fields
        ]
        rows = model.with_context(active_test=False).browse(sorted(ids))
        rows.fetch(names)
        rates, amounts = {}, {}
        today = fields.Date.context_today(self)
        target = company.currency_id
        for row in rows:
            amount = row[amount_field] if amount_field in model._fields else 0.0
            currency = row[currency_field] if currency_field in model._fields else False
            if currency and currency != target and amount:
                date = (row[date_field] if date_field else False) or today
                key = (currency.id, date)
                if key not in rates:
                    rates[key] = currency._get_conversion_rate(
                        currency, target, company, date
                    )
                amount *= rates[key]
            amounts[row.id] = amount or 0.0
        return amounts

    @api.model
    def _band(self, bands, conditional, doc_id, amount, company):
        currency = company.currency_id
        for band in bands:
            low, high = band.get("min_amount") or 0.0, band.get("max_amount") or 0.0
            if currency.compare_amounts(amount, low) < 0 or (
                high and currency.compare_amounts(amount, high) >= 0
            ):
                continue
            if band["id"] in conditional and doc_id not in conditional[band["id"]]:
                continue
            return band
        return None

    def _approvers(self, model, step, doc_id, cache):
        """Names of the approvers of ``step`` for one document."""
        kind = step.get("approver_type")
        if kind == "user":
            key = ("user", tuple(step.get("user_ids") or ()))
            if key not in cache:
                cache[key] = self.env["res.users"].sudo().browse(key[1]).mapped("name")
            return cache[key]
        if kind == "group":
            key = ("group", step.get("group_id"))
            if key not in cache:
                group = self.env["res.groups"].sudo().browse(step.get("group_id") or [])
                cache[key] = group.user_ids.filtered("active").mapped("name")
            return cache[key]
        if kind == "field":
            field = (
                self.env["ir.model.fields"].sudo().browse(step.get("field_id") or [])
            )
            if field.name not in model._fields:
                return []
            record = model.browse(doc_id).with_prefetch(cache.setdefault("ids", ()))
            value = record[field.name]
            users = value if value._name == "res.users" else value.user_ids
            return users.mapped("name")
        return [self.env._("Requester's manager")]

    def _write_lines(self, proposed, today):
        vals = []
        for level, _label in LEVELS:
            for key in sorted(set(proposed[level]) | set(today[level])):
                vals.append(
                    {
                        "replay_id": self.id,
                        "level": level,
                        "name": key,
                        "proposed_count": proposed[level][key],
                        "current_count": today[level][key],
                        "difference": proposed[level][key] - today[level][key],
                    }
                )
        # figures are the replay's own: written by it, read-only to its owner
        self.line_ids.sudo().unlink()
        self.env["gov.approval.replay.line"].sudo().create(vals)
