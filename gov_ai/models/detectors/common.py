# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the built-in detectors share: the dispatch from a use case's task to
its detector, the values of the field roles in the minimised input, and the
scope of the history they read (same company, same counterpart)."""

from odoo import models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL, html2plaintext

from ...tools import series

# Most partner records that count as one counterpart.
PARTNER_LIMIT = 200


class GovAiUseCase(models.Model):
    _inherit = "gov.ai.use.case"  # pylint: disable=consider-merging-classes-inherited

    def _gov_ai_detect(self, record, data):
        """The built-in answer about ``record`` given its minimised ``data``
        (a dict of :func:`~odoo.addons.gov_ai.tools.answers.build`).

        The detector of a task is the method ``_gov_ai_detect_<task>``: a
        module adds a detector by defining one, or overrides this method to
        route some records elsewhere.
        """
        self.ensure_one()
        detector = getattr(self, f"_gov_ai_detect_{self.task}", None)
        if detector is None:
            raise UserError(
                self.env._(
                    "The built-in provider has no detector for the task %s.",
                    self.task,
                )
            )
        return detector(record, data)

    def _history(self):
        """The records of the use case's model, archived ones included, as the
        detectors read them (their rules do not apply to the history)."""
        return self.env[self.model_name].sudo().with_context(active_test=False)

    def _role_value(self, data, role_field):
        fname = self[role_field].name
        return data["values"].get(fname) if fname else None

    def _text_value(self, data):
        value = self._role_value(data, "text_field_id")
        if value and self.text_field_id.ttype == "html":
            value = html2plaintext(value)
        return value or ""

    def _company_domain(self, Model, record):
        """The history a record is compared with: its company's records, as
        they were when the question was asked (see :meth:`_as_asked_domain`)."""
        domain = self._as_asked_domain(Model)
        if "company_id" not in Model._fields:
            return domain
        # only that column: documents such as bills have a hundred others
        company = record.sudo().with_context(prefetch_fields=False).company_id
        return domain & Domain("company_id", "=", company.id) if company else domain

    def _as_asked_domain(self, Model):
        """Records of ``Model`` that existed when a queued question was asked
        (the recommendation's watermark, in the context), or all of them."""
        watermark = self.env.context.get("gov_ai_history_watermark")
        if watermark and Model._name == self.model_name:
            return Domain("id", "<=", watermark)
        return Domain.TRUE

    def _partner_identity(self, data):
        """Partner ids that count as the same counterpart: every record of its
        commercial partner (the company, its contacts and invoice addresses)
        and of its twins (see :meth:`_partner_twins_sql`)."""
        return self._partner_twins(data)[0]

    def _partner_twins(self, data, *, similar_names=False):
        """The partner ids of :meth:`_partner_identity`, and how the twins
        found by a similar name only are named: ``{partner id: {"name",
        "like", "similarity"}}`` (``like``: the counterpart's own name).

        Twins by a similar name are only looked for with ``similar_names``:
        a detector that pools the history of twins (amounts, refunds) would
        pool a stranger's with nothing to tell them apart, the duplicate
        detector still compares each bill. One query besides the
        counterpart's own name, VAT and address.
        """
        partner_id = self._role_value(data, "partner_field_id")
        if not partner_id:
            return [], {}
        if self.partner_field_id.relation != "res.partner":
            return [partner_id], {}
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        commercial = (
            Partner.browse(partner_id)
            .with_context(prefetch_fields=False)
            .commercial_partner_id
        )
        # its own records first, then exact twins, then similar names
        rows = self.env.execute_query(
            SQL(
                """SELECT p.id, twin.id, twin.exact, twin.similarity, c.name
                     FROM (SELECT id, bool_or(exact) AS exact,
                                  max(similarity) AS similarity
                             FROM (%s UNION ALL SELECT %s, true, 1.0)
                                  AS branch(id, exact, similarity)
                            GROUP BY id) AS twin
                     JOIN res_partner c ON c.id = twin.id
                     JOIN res_partner p ON p.commercial_partner_id = twin.id
                 ORDER BY twin.id = %s DESC, twin.exact DESC,
                          twin.similarity DESC, p.id
                    LIMIT %s""",
                self._partner_twins_sql(commercial, similar_names=similar_names),
                commercial.id,
                commercial.id,
                PARTNER_LIMIT,
            )
        )
        own_name = next((row[-1] for row in rows if row[1] == commercial.id), "")
        similar = {
            row_id: {
                "name": name,
                "like": own_name,
                "similarity": round(float(similarity), 2),
            }
            for row_id, _twin, exact, similarity, name in rows
            if not exact
        }
        ids = [partner_id, commercial.id, *(row[0] for row in rows)]
        return list(dict.fromkeys(ids)), similar

    def _partner_twins_sql(self, commercial, *, similar_names=False):
        """SQL of ``(commercial partner id, exact, similarity)`` of the
        commercial partners most likely the same counterpart: the same VAT
        number, the same name once markers such as "(old)", legal forms and
        separators are left out, a shared bank account, or the same street and
        postcode (exact); or, with ``similar_names`` and where PostgreSQL has
        pg_trgm, a similar name (see
        :data:`~odoo.addons.gov_ai.tools.series.SIMILAR_NAME`; without pg_trgm
        only the same name counts)."""
        [(name, vat, street, postcode)] = self.env.execute_query(
            SQL(
                "SELECT name, vat, lower(trim(street)), lower(trim(zip))"
                " FROM res_partner WHERE id = %s",
                commercial.id,
            )
        )
        name_key = series.vendor_name_key(name)
        conditions = []
        if vat:
            conditions.append(SQL("p.vat = %s", vat))
        if name_key:
            conditions.append(SQL("%s = %s", name_key_sql(SQL("p.name")), name_key))
        if street and postcode:
            conditions.append(
                SQL(
                    "(lower(trim(p.street)) = %s AND lower(trim(p.zip)) = %s)",
                    street,
                    postcode,
                )
            )
        conditions.append(
            SQL(
                """p.id IN (SELECT other.partner_id
                              FROM res_partner_bank own
                              JOIN res_partner owner ON owner.id = own.partner_id
                              JOIN res_partner_bank other
                                ON other.sanitized_acc_number = own.sanitized_acc_number
                             WHERE owner.commercial_partner_id = %s)""",
                commercial.id,
            )
        )
        # one branch per way of being a twin, so that each can use its index
        # (the name keys have one): OR-ed together they are a scan of partners
        branches = [
            SQL(
                "SELECT p.commercial_partner_id, true, 1.0 FROM res_partner p WHERE %s",
                condition,
            )
            for condition in conditions
        ]
        similar = similar_names and self._similar_name_sql(name)
        if similar:
            branches.append(similar)
        return SQL(" UNION ALL ").join(branches)

    def _similar_name_sql(self, name):
        """SQL of ``(commercial partner id, false, similarity)`` of the partners
        named like ``name`` but for a typo or a variant, or ``None`` (no
        pg_trgm, a name too short to compare or a numbered one)."""
        loose_key = series.vendor_name_key(name, loose=True)
        if (
            not self.env.registry.has_trigram
            or len(loose_key) < series.MIN_SIMILAR_NAME_KEY
            or any(char.isdigit() for char in loose_key)
        ):
            return None
        key = name_key_sql(SQL("p.name"), loose=True)
        # `%%>` finds the candidates in the trigram index: their word
        # similarity (never below the similarity) reaches pg_trgm's threshold
        # (0.6 by default); the similarity keeps the close ones
        return SQL(
            """SELECT p.commercial_partner_id, false, similarity(%(key)s, %(own)s)
                 FROM res_partner p
                WHERE %(key)s %%> %(own)s
                  AND similarity(%(key)s, %(own)s) >= %(threshold)s
                  AND length(%(key)s) >= %(shortest)s
                  AND %(key)s !~ '[0-9]'""",
            key=key,
            own=loose_key,
            threshold=series.SIMILAR_NAME,
            shortest=series.MIN_SIMILAR_NAME_KEY,
        )


def name_key_sql(column, *, loose=False):
    """SQL twin of :func:`~odoo.addons.gov_ai.tools.series.vendor_name_key`
    (immutable, so that an expression index can serve it)."""
    words = series.NAME_NOISE + (series.NAME_CONNECTORS if loose else ())
    noise = "|".join(words)
    return SQL(
        "regexp_replace(regexp_replace(regexp_replace(lower(%s),"
        " '\\([^)]*\\)|\\[[^]]*\\]', ' ', 'g'),"
        " %s, ' ', 'g'), '[^a-z0-9]', '', 'g')",
        column,
        "\\m(" + noise + ")\\M\\.?",
    )
