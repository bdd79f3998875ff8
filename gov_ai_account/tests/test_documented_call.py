# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The documented call ``records._gov_ai_recommend(use_case)`` made by an
ordinary Invoicing user: a server action run from the web client, whose
code runs as that user."""

import json

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import GovAiAccountCase

CODE = """
use_case = env.ref("gov_ai_account.gov_ai_use_case_bill_duplicate")
records._gov_ai_recommend(use_case)
"""


@tagged("post_install", "-at_install")
class TestDocumentedCall(GovAiAccountCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # nothing reads the use case before the call: no rule asks it
        cls.env.ref("gov_ai_account.base_automation_bill_checks").active = False
        cls.action = cls.env["ir.actions.server"].create(
            {
                "name": "Ask for duplicates from code",
                "model_id": cls.env.ref("account.model_account_move").id,
                "state": "code",
                "code": CODE,
            }
        )
        cls.original = cls.bill(640.0, ref="F-0001", days_ago=2, post=True)
        cls.draft = cls.bill(640.0, ref="F-1", days_ago=1)

    def run_action(self, user):
        """Run the server action on the draft as ``user``, as the web
        client does; returns the JSON-RPC answer."""
        self.env.invalidate_all()
        self.authenticate(user.login, user.login)
        with mute_logger("odoo.http"):
            response = self.url_open(
                "/web/action/run",
                data=json.dumps(
                    {
                        "jsonrpc": "2.0",
                        "method": "call",
                        "id": 1,
                        "params": {
                            "action_id": self.action.id,
                            "context": {
                                "active_model": "account.move",
                                "active_id": self.draft.id,
                                "active_ids": self.draft.ids,
                            },
                        },
                    }
                ),
                headers={"Content-Type": "application/json"},
            )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def test_invoicing_user_asks_a_use_case_from_the_web_client(self):
        self.assertFalse(
            self.invoicing_user.has_group("gov_base.gov_base_group_user"),
            "an ordinary Invoicing user, without any governance role",
        )
        answer = self.run_action(self.invoicing_user)
        self.assertNotIn("error", answer)
        recommendation = self.recommendations(self.draft, self.uc_duplicate)
        self.assertEqual(recommendation.state, "proposed")
        self.assertEqual(
            [match["id"] for match in recommendation.evidence["similar_records"]],
            self.original.ids,
        )
        # the call gave no access beyond the bill: the user still reads no
        # recommendation, use case or field definition
        for model in ("gov.ai.recommendation", "gov.ai.use.case", "ir.model.fields"):
            self.assertFalse(
                self.env[model].with_user(self.invoicing_user).has_access("read"),
                model,
            )

    def test_use_case_of_another_company_is_refused(self):
        other = self.setup_other_company()["company"]
        self.uc_duplicate.sudo().company_id = other
        answer = self.run_action(self.invoicing_user)
        self.assertIn("company you do not work for", answer["error"]["data"]["message"])
        self.assertFalse(self.recommendations(self.draft, self.uc_duplicate))

    def test_bill_the_user_cannot_read_is_refused(self):
        stranger = self.setup_other_company()["company"]
        user = self.invoicing_user.sudo()
        user.write({"company_ids": [(4, stranger.id)], "company_id": stranger.id})
        user.company_ids = stranger
        # Odoo logs the refused server action as a warning: expected here
        with mute_logger("odoo.addons.base.models.ir_actions"):
            answer = self.run_action(self.invoicing_user)
        self.assertIn("error", answer)
        self.assertFalse(self.recommendations(self.draft, self.uc_duplicate))
