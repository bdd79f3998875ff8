# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Classification: a naive Bayes classifier (``tools/bayes.py``) trained on the
records that already carry a label, cached per process and use case, and
retrained when that history changes or grows old."""

import math
import threading
import time

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL, html2plaintext

from ...tools import answers, bayes

# Labelled records a classifier learns from (the most recent ones).
TRAINING_LIMIT = 20000
# Seconds a trained classifier is reused while its history looks unchanged.
CLASSIFIER_TTL = 3600
# Trained classifiers per process: {(db, use case id): (key, trained at, model)}.
_CLASSIFIERS = {}
_CLASSIFIERS_LOCK = threading.Lock()


class GovAiUseCase(models.Model):
    _inherit = "gov.ai.use.case"  # pylint: disable=consider-merging-classes-inherited

    def _gov_ai_detect_classification(self, record, data):
        self.ensure_one()
        if not (self.text_field_id and self.label_field_id):
            raise UserError(
                self.env._("Classification needs a text field and a label field.")
            )
        model = self._classifier(record)
        prediction = None
        if model["documents"] >= self.min_history:
            prediction = bayes.predict(model, self._text_value(data))
        evidence = {
            "training": {
                "documents": model["documents"],
                "classes": {
                    label: entry["documents"]
                    for label, entry in model["classes"].items()
                },
                "vocabulary": model["vocabulary"],
                "trained_at": model.get("trained_at"),
            },
        }
        if prediction is None:
            return answers.unknown(
                version=bayes.VERSION,
                summary=self.env._("Not enough to classify this record."),
                explanation=self.env._(
                    "The classifier learnt %(classes)s categories from"
                    " %(documents)s labelled records (it needs two categories"
                    " and %(minimum)s records), and the text must hold at least"
                    " one word.",
                    classes=len(model["classes"]),
                    documents=model["documents"],
                    minimum=self.min_history,
                ),
                evidence=evidence,
            )
        names = self._label_names([p["label"] for p in prediction["probabilities"]])
        best = prediction["label"]
        evidence["label_value"] = model["values"].get(best, best)
        evidence["probabilities"] = [
            dict(item, name=names[item["label"]])
            for item in prediction["probabilities"]
        ]
        evidence["telling_words"] = prediction["words"]
        words = ", ".join(
            f"{item['word']} (x{round(math.exp(item['log_ratio']), 1)})"
            for item in prediction["words"]
        ) or self.env._("none stands out")
        runner_up = prediction["probabilities"][1]
        explanation = self.env._(
            "%(label)s with probability %(p)s, then %(second)s with %(p2)s;"
            " learnt from %(documents)s labelled records. Most telling words"
            " (how much likelier under %(label)s than under %(second)s):"
            " %(words)s.",
            label=names[best],
            p=prediction["confidence"],
            second=names[runner_up["label"]],
            p2=runner_up["probability"],
            documents=model["documents"],
            words=words,
        )
        return answers.build(
            names[best],
            version=bayes.VERSION,
            score=prediction["confidence"],
            confidence=prediction["confidence"],
            finding=True,
            action="set_label",
            summary=self.env._("Suggested category: %s", names[best]),
            explanation=explanation,
            evidence=evidence,
        )

    def _label_names(self, keys):
        """Readable names of the classifier's class keys (ids, selection keys)."""
        field = self.label_field_id
        names = {key: key for key in keys}
        if field.ttype == "many2one":
            ids = [int(key) for key in keys if str(key).isdigit()]
            for rec in self.env[field.relation].sudo().browse(ids).exists():
                names[str(rec.id)] = rec.display_name
        elif field.ttype == "selection":
            Model = self.env[self.model_name]
            selection = dict(Model._fields[field.name]._description_selection(self.env))
            names.update({key: selection.get(key, key) for key in keys})
        return names

    def _classifier(self, record):
        """The trained classifier of this use case, cached per process.

        Reused while the labelled history keeps the same size and latest
        change, for at most :data:`CLASSIFIER_TTL` seconds.
        """
        self.ensure_one()
        Model = self._history()
        text_name, label_name = self.text_field_id.name, self.label_field_id.name
        domain = (
            self._company_domain(Model, record)
            & Domain(text_name, "!=", False)
            & Domain(label_name, "!=", False)
        )
        query = Model._search(domain)
        [(count, changed)] = self.env.execute_query(
            query.select(
                SQL("count(*)"),
                SQL("max(%s)", SQL.identifier(Model._table, "write_date")),
            )
        )
        key = (text_name, label_name, str(domain), count, str(changed))
        cache_key = (self.env.cr.dbname, self.id)
        now = time.monotonic()
        with _CLASSIFIERS_LOCK:
            cached = _CLASSIFIERS.get(cache_key)
        if cached and cached[0] == key and now - cached[1] < CLASSIFIER_TTL:
            return cached[2]
        rows = Model.search_read(
            domain,
            [text_name, label_name],
            order="id desc",
            limit=TRAINING_LIMIT,
            load=None,
        )
        is_html = self.text_field_id.ttype == "html"
        samples = [
            (
                html2plaintext(row[text_name]) if is_html else row[text_name],
                str(row[label_name]),
            )
            for row in rows
        ]
        model = bayes.train(samples)
        model["values"] = {str(row[label_name]): row[label_name] for row in rows}
        model["trained_at"] = fields.Datetime.to_string(fields.Datetime.now())
        with _CLASSIFIERS_LOCK:
            _CLASSIFIERS[cache_key] = (key, now, model)
        return model
