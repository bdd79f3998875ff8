# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tools.safe_eval import safe_eval

from odoo.addons.gov_base.tools.params import int_param

# The one rule saying which matrix governs a document when several govern
# the same action in its company: the first, in this order, whose filter the
# document matches (lower priority first; at equal priority a matrix with a
# filter before one for every document; then the older one). Routing and the
# simulator both walk the matrices in this order (``_route_candidates``).
PRECEDENCE_ORDER = "sequence, applies_to_all, id"

# Set in the context while a matrix write audits its bands as a whole; a Python
# object, so that no RPC caller can pass it to skip the band audit.
_MATRIX_AUDIT = object()
AUDITED_FIELDS = [
    "name",
    "action",
    "amount_field_id",
    "currency_field_id",
    "company_id",
    "domain",
    "no_match_policy",
    "auto_resume",
    "allow_email_links",
    "confirm_identity",
    "active",
    "sequence",
]


class GovApprovalMatrix(models.Model):
    """Who must approve a governed action on a model, by amount band."""

    _name = "gov.approval.matrix"
    _description = "Approval Matrix"
    _inherit = ["gov.cached.config.mixin"]
    # the precedence rule (``gov_approval_matrix_precedence.py``)
    _order = "sequence, applies_to_all, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    sequence = fields.Integer(
        string="Priority",
        default=10,
        help="When several active matrices govern the same action in a company,"
        " a document takes the first whose filter it matches: lower priority"
        " first; at equal priority, a matrix with a filter before one that"
        " applies to every document; then the older one.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    action = fields.Selection(
        selection="_selection_action",
        string="Governed Action",
        required=True,
        help="The business action this matrix holds until it is approved.",
    )
    res_model = fields.Char(
        string="Document Model", compute="_compute_res_model", store=True
    )
    amount_field_id = fields.Many2one(
        "ir.model.fields",
        compute="_compute_document_fields",
        store=True,
        readonly=False,
        ondelete="cascade",
        domain="[('model', '=', res_model),"
        " ('ttype', 'in', ('monetary', 'float', 'integer'))]",
    )
    currency_field_id = fields.Many2one(
        "ir.model.fields",
        compute="_compute_document_fields",
        store=True,
        readonly=False,
        ondelete="cascade",
        domain="[('model', '=', res_model), ('ttype', '=', 'many2one'),"
        " ('relation', '=', 'res.currency')]",
        help="Amounts are converted from this currency to the company currency"
        " at the document date.",
    )
    domain = fields.Char(
        string="Applies To",
        default="[]",
        help="Only documents matching this filter are governed by the matrix.",
    )
    no_match_policy = fields.Selection(
        [("allow", "Allow the action"), ("block", "Block the action")],
        string="When No Band Matches",
        default="allow",
        required=True,
    )
    auto_resume = fields.Boolean(
        string="Resume After Approval",
        default=True,
        help="Run the blocked action by itself, as the requester, once the last"
        " approval lands. Otherwise the requester is told and runs it again.",
    )
    allow_email_links = fields.Boolean(
        string="Approval by E-mail Link",
        help="Send approvers signed, expiring, single-use links to approve or"
        " reject without logging in.",
    )
    link_validity_hours = fields.Integer(
        default=lambda self: int_param(self.env, "gov_approval.link_validity_hours", 72)
    )
    confirm_identity = fields.Boolean(
        string="Confirm Password to Decide",
        help="Approvers confirm their password in Odoo before their decision"
        " is recorded (asked again after 10 minutes). Decisions then come from"
        " Odoo only: no e-mail links, no decisions sent back by an"
        " integration.",
    )
    reminder_hours = fields.Integer(
        default=lambda self: int_param(self.env, "gov_approval.reminder_hours", 24),
        help="Remind approvers who have not decided after this many hours;"
        " 0 sends no reminders.",
    )
    line_ids = fields.One2many("gov.approval.matrix.line", "matrix_id", string="Bands")
    gap_warning = fields.Char(compute="_compute_gap_warning")
    request_count = fields.Integer(compute="_compute_request_count")

    _check_hours = models.Constraint(
        "CHECK (link_validity_hours > 0 AND reminder_hours >= 0)",
        "Link validity must be positive and reminder hours not negative.",
    )

    @api.model
    def _selection_action(self):
        """Every action declared by a governed model, as ``model:action``."""
        selection = []
        registry = self.env.registry
        for name in sorted(registry.descendants(["gov.approval.mixin"], "_inherit")):
            model = self.env[name]
            if model._abstract or not model._gov_approval_actions:
                continue
            for key, spec in model._gov_approval_actions.items():
                selection.append((f"{name}:{key}", spec["label"]))
        return selection

    @api.depends("action")
    def _compute_res_model(self):
        for matrix in self:
            matrix.res_model = (matrix.action or "").partition(":")[0] or False

    @api.depends("res_model")
    def _compute_document_fields(self):
        Fields = self.env["ir.model.fields"]
        for matrix in self:
            if matrix.res_model not in self.env:
                matrix.amount_field_id = matrix.currency_field_id = False
                continue
            model = self.env[matrix.res_model]
            matrix.amount_field_id = Fields._get(
                matrix.res_model, model._gov_approval_amount_field
            )
            matrix.currency_field_id = (
                Fields._get(matrix.res_model, model._gov_approval_currency_field)
                if model._gov_approval_currency_field
                else False
            )

    @api.depends("line_ids.min_amount", "line_ids.max_amount", "line_ids.domain")
    def _compute_gap_warning(self):
        for matrix in self:
            gaps = matrix._band_gaps()
            matrix.gap_warning = (
                self.env._(
                    "Amounts %(gaps)s match no band: %(policy)s.",
                    gaps=", ".join(gaps),
                    policy=dict(
                        self._fields["no_match_policy"]._description_selection(self.env)
                    )[matrix.no_match_policy].lower(),
                )
                if gaps
                else False
            )

    def _band_gaps(self):
        """Amount ranges that no unconditional band covers, as labels."""
        self.ensure_one()
        bands = sorted(
            (line.min_amount, line.max_amount or float("inf"))
            for line in self.line_ids
            if not line._has_conditions()
        )
        gaps, covered = [], 0.0
        fmt = self._format_amount
        for low, high in bands:
            if low > covered:
                gaps.append(
                    self.env._(
                        "from %(low)s up to %(high)s", low=fmt(covered), high=fmt(low)
                    )
                )
            covered = max(covered, high)
        if bands and covered != float("inf"):
            gaps.append(self.env._("%(low)s and above", low=fmt(covered)))
        return gaps

    def _format_amount(self, amount):
        return tools.format_amount(self.env, amount, self.currency_id)

    def _compute_request_count(self):
        counts = dict(
            self.env["gov.approval.request"]._read_group(
                [("matrix_id", "in", self.ids)], ["matrix_id"], ["__count"]
            )
        )
        for matrix in self:
            matrix.request_count = counts.get(matrix, 0)

    @api.constrains("domain", "action")
    def _check_domain(self):
        for matrix in self:
            matrix._parse_domain(matrix.domain, matrix.res_model)

    @api.model
    def _parse_domain(self, text, res_model):
        """The domain as a list; a clear error when it cannot be used."""
        try:
            domain = safe_eval(text or "[]")
            if res_model in self.env:
                Domain(domain).validate(self.env[res_model])
        except Exception as error:
            raise ValidationError(
                self.env._(
                    "The filter %(domain)s is not valid: %(error)s",
                    domain=text,
                    error=error,
                )
            ) from error
        return domain

    # ------------------------------------------------------------------
    # Audit
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        matrices = super(
            GovApprovalMatrix,
            self.with_context(gov_approval_matrix_audited=_MATRIX_AUDIT),
        ).create(vals_list)
        matrices = matrices.with_env(self.env)
        for matrix in matrices:
            matrix._audit("approval.matrix_created", {}, matrix._audit_values())
        return matrices

    def write(self, vals):
        before = {matrix.id: matrix._audit_values() for matrix in self}
        res = super(
            GovApprovalMatrix,
            self.with_context(gov_approval_matrix_audited=_MATRIX_AUDIT),
        ).write(vals)
        for matrix in self:
            after = matrix._audit_values()
            if after != before[matrix.id]:
                matrix._audit("approval.matrix_changed", before[matrix.id], after)
        return res

    def unlink(self):
        for matrix in self:
            matrix._audit("approval.matrix_deleted", matrix._audit_values(), {})
        return super().unlink()

    def _audit_values(self):
        self.ensure_one()
        values = {
            name: self[name].display_name
            if self._fields[name].type == "many2one"
            else self[name]
            for name in AUDITED_FIELDS
        }
        values["bands"] = [line._audit_values() for line in self.line_ids]
        return values

    def _audit_band(self, before, after):
        """A band or a step of this matrix was added, changed or removed."""
        if self.env.context.get("gov_approval_matrix_audited") is _MATRIX_AUDIT:
            return  # part of a matrix write, audited as a whole
        self._audit("approval.matrix_changed", before or {}, after or {})

    def _audit(self, event_type, before, after):
        self.env["gov.audit.event"].record(
            event_type,
            self.env._("Approval matrix %(name)s", name=self.name),
            record=self,
            company=self.company_id,
            details={"before": before, "after": after},
        )

    # ------------------------------------------------------------------
    # Routing
    # ------------------------------------------------------------------
    @api.model
    @tools.ormcache("action", "company_id")
    def _matrix_ids_for(self, action, company_id):
        """Active matrices of ``action`` in a company, in precedence order."""
        return tuple(
            self.sudo()
            .search(
                # ``active`` said here: a caller's context (``active_test``)
                # never lets a draft or archived matrix into the cache
                [
                    ("action", "=", action),
                    ("company_id", "=", company_id),
                    ("active", "=", True),
                ],
                order=PRECEDENCE_ORDER,
            )
            .ids
        )

    @api.model
    @tools.ormcache()
    def _governed_models(self):
        """Models that have at least one active matrix, in any company."""
        groups = self.sudo()._read_group([("active", "=", True)], ["res_model"])
        return frozenset(res_model for (res_model,) in groups)

    @tools.ormcache("self.id")
    def _parsed_domain(self):
        return self._parse_domain(self.domain, self.res_model)

    def _applies_to(self, record):
        domain = self._parsed_domain()
        return not domain or bool(record.filtered_domain(domain))

    @tools.ormcache("self.id")
    def _route_config(self):
        """What routing reads of the matrix, its bands and their steps.

        Built once per registry cache: any change to a matrix, band or step
        clears it (``gov.cached.config.mixin``), so a live request never
        pays for reading the configuration again.
        """
        return self._build_route_config()

    def _build_route_config(self):
        self.ensure_one()
        matrix = self.sudo()
        lines = matrix.line_ids.sorted(
            lambda line: (not line._has_conditions(), line.sequence, line.min_amount)
        )
        return {
            "company_id": matrix.company_id.id,
            "amount_field": matrix.amount_field_id.name or False,
            "currency_field": matrix.currency_field_id.name or False,
            "no_match_policy": matrix.no_match_policy,
            "auto_resume": matrix.auto_resume,
            "allow_email_links": matrix.allow_email_links
            and not matrix.confirm_identity,
            "confirm_identity": matrix.confirm_identity,
            "link_validity_hours": matrix.link_validity_hours,
            "bands": tuple(
                (line.id, line.min_amount, line.max_amount, line._has_conditions())
                for line in lines
            ),
        }

    def _config(self):
        """The routing configuration, cached for saved matrices."""
        if isinstance(self.id, int):
            return self._route_config()
        return self._build_route_config()

    def _match_line(self, amount, record=None):
        """The band an amount (in company currency) falls in, or nothing.

        Bands include their minimum and exclude their maximum. Bands with
        extra conditions are tried first, so that a narrower rule wins over
        the general band of the same amount.
        """
        self.ensure_one()
        Line = self.env["gov.approval.matrix.line"]
        config = self._config()
        currency = self.env["res.company"].browse(config["company_id"]).currency_id
        for line_id, low, high, conditional in config["bands"]:
            if currency.compare_amounts(amount, low) < 0 or (
                high and currency.compare_amounts(amount, high) >= 0
            ):
                continue
            line = Line.browse(line_id)
            if conditional and (record is None or not line._matches(record)):
                continue
            return line
        return Line

    def action_open_simulator(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Simulate %(name)s", name=self.name),
            "res_model": "gov.approval.simulate.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_matrix_id": self.id},
        }

    def action_view_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "gov_approval.gov_approval_request_action_all"
        )
        action["domain"] = [("matrix_id", "=", self.id)]
        action["context"] = {}
        return action
