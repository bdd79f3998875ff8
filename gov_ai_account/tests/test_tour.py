# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingHttpCommon
from odoo.addons.gov_base.tests.tour_screens import TourScreensMixin, screens_dir

from .common import run_ai_queue


@tagged("post_install", "-at_install")
class TestTour(TourScreensMixin, AccountTestInvoicingHttpCommon):
    def bill(self, ref, **kwargs):
        return self._create_invoice_one_line(
            price_unit=410.0,
            tax_ids=self.env["account.tax"],
            move_type="in_invoice",
            ref=ref,
            **kwargs,
        )

    def test_reviewer_accepts_the_duplicate_from_the_bill(self):
        company = self.company_data["company"]
        reviewer = new_test_user(
            self.env,
            login="gov_ai_tour_reviewer",
            name="Bill Reviewer",
            password="gov_ai_tour_reviewer",
            groups="account.group_account_invoice,gov_base.gov_base_group_approver",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        original = self.bill("REF-0007", post=True)
        twin = self.bill("ref 7")
        # the checks queued by the save are answered before the reviewer looks
        run_ai_queue(self)
        self.start_tour(
            f"/odoo/account.move/{twin.id}",
            "gov_ai_account_duplicate_bill_tour",
            login=reviewer.login,
        )
        # the reviewer accepted the recommendation from the bill's button
        recommendation = (
            self.env["gov.ai.recommendation"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "account.move"),
                    ("res_id", "=", twin.id),
                    ("task", "=", "duplicate"),
                ]
            )
        )
        self.assertEqual(recommendation.state, "accepted")
        self.assertEqual(recommendation.decided_by_id, reviewer)
        self.assertEqual(
            recommendation.evidence["similar_records"][0]["id"], original.id
        )
        self.assertTrue((screens_dir() / "bill_confirmed_duplicate.png").exists())
