# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestClickEverywhere(HttpCase):
    """Odoo's click bot opens every menu of the Governance app, every view of
    every action (list, kanban, pivot, graph, activity...) and every filter:
    a view that fails in the browser fails here."""

    def test_every_governance_menu_and_view_opens_for_the_administrator(self):
        menu = self.env.ref("gov_base.gov_base_menu_root")
        menus = self.env["ir.ui.menu"].search([("id", "child_of", menu.id)])
        self.assertGreater(len(menus), 10)
        self.browser_js(
            "/odoo",
            "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
            ".startClickEverywhere('gov_base.gov_base_menu_root');",
            "odoo.isReady === true",
            login="admin",
            timeout=600,
            success_signal="clickbot test succeeded",
        )

    def test_every_governance_form_opens_for_a_new_record(self):
        """What the click bot does not do: open each form, editable."""
        root = self.env.ref("gov_base.gov_base_menu_root")
        menus = self.env["ir.ui.menu"].search([("id", "child_of", root.id)])
        admin = self.env.ref("base.user_admin")
        Action = self.env["ir.actions.act_window"]
        actions = Action.union(
            *(m.action for m in menus if m.action and m.action._name == Action._name)
        ).filtered(
            lambda a: (
                "form" in a.view_mode
                and "'create': False" not in (a.context or "")
                and not self.env[a.res_model]._transient
                # records written by the engines only have no "New" form
                and self.env[a.res_model].with_user(admin).has_access("create")
            )
        )
        self.assertGreater(len(actions), 6)
        for action in actions:
            with self.subTest(model=action.res_model):
                self.browser_js(
                    f"/odoo/action-{action.id}/new",
                    "const wait = () => document.querySelector('.o_form_view"
                    " .o_form_sheet_bg, .o_form_view .o_form_nosheet')"
                    " ? console.log('test successful')"
                    " : setTimeout(wait, 100); wait();",
                    "odoo.isReady === true",
                    login="admin",
                    timeout=30,
                )
