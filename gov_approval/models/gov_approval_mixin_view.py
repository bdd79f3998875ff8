# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The approval elements of a governed model's views, declared once.

Every governed model shows the same things: Approve, Reject and Delegate
buttons for whoever may decide now, a banner saying where the approval
stands, an "Approvals" smart button, an approval badge in lists, and the
"Awaiting My Approval" / "Waiting Approval" filters. They are added to the
model's views when they are built, so a bridge declares no view, and a model
governed later (without code) shows them too. A view that places an element
itself keeps it where it is.
"""

from lxml import etree

from odoo import api, models

BANNERS = (
    # (approval state, bootstrap class, ARIA role)
    ("pending", "alert-info", "status"),
    ("approved", "alert-success", "status"),
    ("rejected", "alert-danger", "alert"),
)


def _element(tag, **attrs):
    node = etree.Element(tag)
    for name, value in attrs.items():
        node.set(name.rstrip("_"), value)
    return node


class GovApprovalMixin(models.AbstractModel):
    _inherit = "gov.approval.mixin"  # pylint: disable=consider-merging-classes-inherited

    # False on a model whose views place the approval elements themselves
    _gov_approval_inject_views = True

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        arch, view = super()._get_view(view_id, view_type, **options)
        if self._gov_approval_inject_views and self._gov_approval_actions:
            inject = {
                "form": self._gov_approval_inject_form,
                "list": self._gov_approval_inject_list,
                "search": self._gov_approval_inject_search,
            }.get(view_type)
            if inject:
                inject(arch)
        return arch, view

    def _gov_approval_inject_form(self, arch):
        if arch.xpath("//button[@name='action_gov_approval_approve']"):
            return
        header = arch.find("header")
        if header is None:
            header = _element("header")
            arch.insert(0, header)
        buttons = [_element("field", name="gov_approval_can_decide", invisible="1")]
        for method, label, extra in (
            ("action_gov_approval_approve", self.env._("Approve"), "btn-primary"),
            ("action_gov_approval_reject", self.env._("Reject"), ""),
            ("action_gov_approval_delegate", self.env._("Delegate"), ""),
        ):
            button = _element(
                "button",
                name=method,
                type="object",
                string=label,
                invisible="not gov_approval_can_decide",
            )
            if extra:
                button.set("class", extra)
            buttons.append(button)
        statusbar = header.xpath("field[@widget='statusbar']")
        for button in buttons:
            if statusbar:
                statusbar[0].addprevious(button)
            else:
                header.append(button)
        self._gov_approval_hide_governed_buttons(header)
        sheet = arch.find("sheet")
        anchor = sheet if sheet is not None else header
        banners = [
            _element("field", name="gov_approval_state", invisible="1"),
            _element("field", name="gov_approval_show_banner", invisible="1"),
        ]
        for state, css, role in BANNERS:
            banner = _element(
                "div",
                class_=f"alert {css} mb-0 o_gov_approval_banner",
                role=role,
                invisible=f"not gov_approval_show_banner"
                f" or gov_approval_state != '{state}'",
            )
            banner.append(_element("field", name="gov_approval_summary"))
            banners.append(banner)
        for banner in banners:
            if sheet is not None:
                anchor.addprevious(banner)
            else:
                anchor.addnext(banner)
        if sheet is not None:
            self._gov_approval_inject_smart_button(sheet)

    def _gov_approval_hide_governed_buttons(self, header):
        """While the document waits for an approval, the buttons of its
        governed actions give way to a "Waiting for Approval" state (which
        opens the approval): clicking them again would only say to wait."""
        methods = {
            spec.get("method")
            for spec in self._gov_approval_actions.values()
            if spec.get("method")
        }
        waiting = "gov_approval_state == 'pending' and gov_approval_show_banner"
        found = []
        for button in header.iter("button"):
            if button.get("type") == "object" and button.get("name") in methods:
                current = button.get("invisible")
                button.set(
                    "invisible", f"({current}) or ({waiting})" if current else waiting
                )
                found.append(button)
        if not found:
            return
        state = _element(
            "button",
            name="action_gov_approval_requests",
            type="object",
            string=self.env._("Waiting for Approval"),
            icon="fa-hourglass-half",
            class_="btn-secondary o_gov_approval_waiting",
            invisible=f"not ({waiting}) or gov_approval_can_decide",
        )
        found[0].addprevious(state)

    def _gov_approval_inject_smart_button(self, sheet):
        box = sheet.xpath(".//div[@name='button_box']")
        if box:
            box = box[0]
        else:
            box = _element("div", class_="oe_button_box", name="button_box")
            sheet.insert(0, box)
        button = _element(
            "button",
            name="action_gov_approval_requests",
            type="object",
            class_="oe_stat_button",
            icon="fa-check-square-o",
            invisible="not gov_approval_request_count",
        )
        button.append(
            _element(
                "field",
                name="gov_approval_request_count",
                widget="statinfo",
                string=self.env._("Approvals"),
            )
        )
        box.append(button)

    def _gov_approval_inject_list(self, arch):
        if arch.tag != "list" or arch.xpath("//field[@name='gov_approval_state']"):
            return
        arch.append(
            _element(
                "field",
                name="gov_approval_state",
                optional="show",
                widget="badge",
                **{
                    "decoration-info": "gov_approval_state == 'pending'",
                    "decoration-success": "gov_approval_state == 'approved'",
                    "decoration-danger": "gov_approval_state == 'rejected'",
                },
            )
        )

    def _gov_approval_inject_search(self, arch):
        if arch.xpath("//filter[@name='gov_approval_mine']"):
            return
        arch.append(_element("separator"))
        arch.append(
            _element(
                "filter",
                name="gov_approval_mine",
                string=self.env._("Awaiting My Approval"),
                domain="[('gov_approval_can_decide', '=', True)]",
            )
        )
        arch.append(
            _element(
                "filter",
                name="gov_approval_pending",
                string=self.env._("Waiting Approval"),
                domain="[('gov_approval_state', '=', 'pending')]",
            )
        )
