# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The notice on the form of a model governed without code: which of its
actions, which creations and which changes of fields wait for approval.

Bridges' documents show where their own approval stands
(``gov_approval_mixin_view.py``); a model governed by a matrix alone has no
such fields, so its form says what is governed, and the request (with the
held change) is in My Approvals. Views are rebuilt when a matrix of this
kind changes (``_update_registry``).
"""

from lxml import etree

from odoo import api, models


class Base(models.AbstractModel):
    _inherit = "base"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type == "form" and not self._gov_approval_actions:
            config = (
                self.env["gov.approval.matrix"].sudo()._nocode_config().get(self._name)
            )
            if config:
                self._gov_approval_inject_notice(arch, config)
        return arch, view

    def _gov_approval_inject_notice(self, arch, config):
        parts = []
        if config["buttons"]:
            parts.append(
                self.env._(
                    "%(actions)s ask for approval before they run.",
                    actions=", ".join(sorted(config["buttons"].values())),
                )
            )
        if config["create"]:
            parts.append(
                self.env._("New records are active once their creation is approved.")
            )
        if config["fields"]:
            parts.append(
                self.env._(
                    "Changes of %(fields)s wait for approval; the record keeps its"
                    " values until then.",
                    fields=", ".join(sorted(config["labels"].values())),
                )
            )
        notice = etree.Element(
            "div",
            {"class": "alert alert-info mb-0 o_gov_approval_notice", "role": "status"},
        )
        notice.text = " ".join(parts)
        sheet = arch.find("sheet")
        if sheet is not None:
            sheet.addprevious(notice)
        else:
            arch.insert(0, notice)
