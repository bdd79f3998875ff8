# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Extractive summaries of the use case's text field (``tools/summary.py``):
the sentences whose words recur most, kept in their order."""

from odoo import models
from odoo.exceptions import UserError

from ...tools import answers, summary


class GovAiUseCase(models.Model):
    _inherit = "gov.ai.use.case"  # pylint: disable=consider-merging-classes-inherited

    def _gov_ai_detect_summary(self, record, data):
        self.ensure_one()
        if not self.text_field_id:
            raise UserError(self.env._("A summary needs a text field."))
        result = summary.summarize(
            self._text_value(data), max_sentences=self.summary_sentences
        )
        evidence = {k: v for k, v in result.items() if k != "summary"}
        if not result["sentences"]:
            return answers.build(
                "empty",
                version=summary.VERSION,
                summary=self.env._("Nothing to summarise."),
                explanation=self.env._("The text is empty."),
                evidence=evidence,
            )
        return answers.build(
            "summary",
            version=summary.VERSION,
            score=result["coverage"],
            confidence=result["coverage"],
            finding=True,
            summary=result["summary"],
            explanation=self.env._(
                "Kept sentences %(kept)s of %(count)s, chosen by how often their"
                " words recur in the text and how early they come; they hold the"
                " words of %(coverage)s%% of the text's word occurrences. Most"
                " frequent words: %(keywords)s.",
                kept=", ".join(map(str, result["kept"])),
                count=result["sentences"],
                coverage=round(result["coverage"] * 100),
                keywords=", ".join(result["keywords"]),
            ),
            evidence=evidence,
        )
