# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""How a reviewer reads a recommendation's evidence: a small table instead
of raw JSON, and a link to the record it is most similar to (the suspected
original of a possible duplicate), for those who may read that record."""

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError

# similar records listed in the evidence table
SIMILAR_SHOWN = 5


class GovAiRecommendation(models.Model):
    _inherit = "gov.ai.recommendation"

    evidence_html = fields.Html(
        string="Evidence Table", compute="_compute_evidence_html", sanitize=True
    )
    similar_res_id = fields.Integer(
        string="Most Similar Record",
        compute="_compute_similar",
        help="The record this one looks most like (e.g. the original bill of"
        " a possible duplicate), when the reviewer may read it.",
    )
    similar_name = fields.Char(string="Most Similar", compute="_compute_similar")

    def _similar_rows(self):
        """Similar records of the evidence the current user may read:
        ``(record, row)`` pairs, best first."""
        self.ensure_one()
        rows = (self.evidence or {}).get("similar_records") or []
        found = []
        for row in rows[:SIMILAR_SHOWN]:
            model_name = row.get("model") or self.res_model
            if not isinstance(row.get("id"), int) or model_name not in self.env:
                continue
            record = self.env[model_name].browse(row["id"]).exists()
            if record and record._filtered_access("read"):
                found.append((record, row))
        return found

    @api.depends("evidence")
    def _compute_similar(self):
        for rec in self:
            rows = rec._similar_rows()
            rec.similar_res_id = rows[0][0].id if rows else 0
            rec.similar_name = rows[0][0].display_name if rows else False

    @api.depends("evidence")
    def _compute_evidence_html(self):
        for rec in self:
            rec.evidence_html = rec._evidence_table() if rec.evidence else False

    def _evidence_table(self):
        self.ensure_one()
        evidence = dict(self.evidence)
        similar = evidence.pop("similar_records", None)
        body = Markup("").join(
            Markup("<tr><th>%s</th><td>%s</td></tr>")
            % (self._evidence_label(key), self._evidence_value(value))
            for key, value in sorted(evidence.items())
        )
        html = (
            Markup(
                '<table class="table table-sm o_gov_ai_evidence">'
                "<tbody>%s</tbody></table>"
            )
            % body
        )
        if similar:
            html += self._similar_table()
        return html

    def _similar_table(self):
        rows = self._similar_rows()
        if not rows:
            return Markup("<p>%s</p>") % self.env._(
                "Similar records exist that you may not read."
            )
        head = Markup("<tr><th>%s</th><th>%s</th><th>%s</th></tr>") % (
            self.env._("Similar record"),
            self.env._("Score"),
            self.env._("Why"),
        )
        body = Markup("").join(
            Markup(
                '<tr><td><a href="/odoo/%s/%s">%s</a></td><td>%s</td><td>%s</td></tr>'
            )
            % (
                record._name,
                record.id,
                record.display_name,
                row.get("score", ""),
                ", ".join(str(reason) for reason in row.get("reasons") or []),
            )
            for record, row in rows
        )
        return Markup(
            '<table class="table table-sm o_gov_ai_similar"><thead>%s</thead>'
            "<tbody>%s</tbody></table>"
        ) % (head, body)

    @api.model
    def _evidence_label(self, key):
        return str(key).replace("_", " ").capitalize()

    @api.model
    def _evidence_value(self, value):
        """A value of the evidence as short readable text: mappings as
        ``key: value`` lines, lists joined."""
        if isinstance(value, dict):
            return Markup("<br/>").join(
                Markup("%s: %s") % (self._evidence_label(k), self._evidence_value(v))
                for k, v in value.items()
            )
        if isinstance(value, list | tuple):
            if all(not isinstance(item, dict | list) for item in value):
                return escape(", ".join(str(item) for item in value))
            return Markup("<br/>").join(self._evidence_value(item) for item in value)
        if isinstance(value, float):
            return escape(f"{value:.4g}")
        return escape("" if value is None else str(value))

    def action_open_similar(self):
        """Open the record this one looks most like (read access checked)."""
        self.ensure_one()
        rows = self._similar_rows()
        if not rows:
            raise UserError(
                self.env._("No similar record that you may read is named here.")
            )
        return rows[0][0]._get_records_action()
