# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Which matrix governs a document when several govern the same action.

One rule (``PRECEDENCE_ORDER``): the active matrices of the action in the
document's company are tried in order of priority, then those with a filter
before those for every document, then the older first; the first whose
filter the document matches governs it. Routing (``_route`` of the request)
and the simulator both walk ``_route_candidates``; this file also says it
to the people who configure matrices: the precedence on the list, a warning
on the form when another matrix governs the same action, and, for a real
document, which matrix takes it and why the others do not.
"""

from odoo import api, fields, models
from odoo.tools.safe_eval import safe_eval


class GovApprovalMatrix(models.Model):
    _inherit = "gov.approval.matrix"  # pylint: disable=consider-merging-classes-inherited

    applies_to_all = fields.Boolean(
        string="For Every Document",
        compute="_compute_applies_to_all",
        store=True,
        help="The matrix has no filter: it applies to every document of its"
        " action. At equal priority, a matrix with a filter is tried first.",
    )
    precedence_rank = fields.Integer(
        string="Precedence",
        compute="_compute_precedence",
        help="Where the matrix stands among the active matrices of the same"
        " action in its company: a document takes the first of them whose"
        " filter it matches (lower priority first; at equal priority, one with"
        " a filter before one for every document; then the older one).",
    )
    precedence_display = fields.Char(
        string="Order", compute="_compute_precedence", help=precedence_rank.help
    )
    overlap_count = fields.Integer(compute="_compute_precedence")
    overlap_warning = fields.Char(compute="_compute_precedence")

    @api.depends("domain")
    def _compute_applies_to_all(self):
        for matrix in self:
            try:
                matrix.applies_to_all = not safe_eval(matrix.domain or "[]")
            except Exception:  # noqa: BLE001 - refused by _check_domain
                matrix.applies_to_all = True

    # ------------------------------------------------------------------
    # The rule
    # ------------------------------------------------------------------
    def _precedence_key(self):
        """The matrix's place in ``PRECEDENCE_ORDER``, as a sort key."""
        self.ensure_one()
        return (self.sequence, self.applies_to_all, self.id)

    def _governed_key(self):
        """``model:action`` routing looks the matrix up by."""
        self.ensure_one()
        return self.action if self.kind == "bridge" else self.route_key

    @api.model
    def _route_candidates(self, record, action):
        """The active matrices that may govern ``action`` on ``record``, in
        precedence order: the first whose filter matches governs it."""
        company = record._gov_approval_company()
        return self.sudo().browse(
            self._matrix_ids_for(f"{record._name}:{action}", company.id)
        )

    def _siblings(self):
        """This matrix and the active matrices of the same action and company,
        in precedence order (an archived one is placed where it would be)."""
        self.ensure_one()
        key = self._governed_key()
        if not key or not self.company_id or not isinstance(self.id, int):
            return self
        matrices = self.sudo().browse(self._matrix_ids_for(key, self.company_id.id))
        if self not in matrices:
            matrices |= self.sudo()
        return matrices.sorted(lambda m: m._precedence_key())

    @api.depends("sequence", "domain", "action", "route_key", "company_id", "active")
    def _compute_precedence(self):
        for matrix in self:
            siblings = matrix._siblings()
            matrix.overlap_count = len(siblings)
            matrix.precedence_rank = list(siblings).index(matrix) + 1
            matrix.precedence_display = (
                self.env._(
                    "%(rank)s of %(count)s",
                    rank=matrix.precedence_rank,
                    count=len(siblings),
                )
                if len(siblings) > 1
                else self.env._("Only one")
            )
            matrix.overlap_warning = matrix._overlap_text(siblings)

    def _overlap_text(self, siblings):
        self.ensure_one()
        if len(siblings) < 2:
            return False
        order = ", ".join(
            f"{index}. {matrix.name}" for index, matrix in enumerate(siblings, 1)
        )
        head = self.env._(
            "%(count)s matrices govern this action in %(company)s, in this order:"
            " %(order)s. A document takes the first whose filter it matches.",
            count=len(siblings),
            company=self.company_id.name,
            order=order,
        )
        before = siblings[: list(siblings).index(self)]
        if not before:
            tail = self.env._(
                "This matrix comes first: the others take only the documents"
                " outside its filter."
            )
        elif any(matrix.applies_to_all for matrix in before):
            catch_all = next(m for m in before if m.applies_to_all)
            tail = self.env._(
                "%(first)s comes before this one and applies to every document:"
                " this matrix never applies. Give it a lower priority number, or"
                " a filter to %(first)s.",
                first=catch_all.name,
            )
        else:
            tail = self.env._(
                "This matrix takes only the documents outside the filters of"
                " %(before)s.",
                before=", ".join(before.mapped("name")),
            )
        if not self.active:
            tail = self.env._("Once activated: %(tail)s", tail=tail)
        return f"{head} {tail}"

    # ------------------------------------------------------------------
    # Said for one document (the simulator)
    # ------------------------------------------------------------------
    def _explain_route(self, record):
        """Which matrix of this matrix's action takes ``record``, and why
        the others do not, as ``[(matrix, takes, reason)]`` in precedence
        order; the same walk as routing."""
        self.ensure_one()
        action = self._governed_key().partition(":")[2]
        candidates = self._route_candidates(record, action)
        explained, winner = [], None
        if not record._gov_approval_in_scope(action):
            reason = self.env._("this action is not governed for such a document")
            return [(self.sudo(), False, reason)]
        for matrix in candidates:
            if winner:
                reason = self.env._(
                    "%(winner)s comes first and takes the document", winner=winner.name
                )
                explained.append((matrix, False, reason))
            elif matrix._applies_to(record):
                winner = matrix
                explained.append(
                    (matrix, True, self.env._("the first whose filter it matches"))
                )
            else:
                explained.append(
                    (matrix, False, self.env._("the document is outside its filter"))
                )
        if self not in candidates:
            company = record._gov_approval_company()
            if self.company_id != company:
                reason = self.env._(
                    "it belongs to %(company)s, the document to %(other)s",
                    company=self.company_id.name,
                    other=company.name,
                )
            else:
                reason = self.env._(
                    "it is archived: it governs nothing until activated"
                )
            explained.append((self.sudo(), False, reason))
        return explained
