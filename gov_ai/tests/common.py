# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.addons.gov_base.tests.common import GovBaseCase


class GovAiCase(GovBaseCase):
    """Contacts stand in for documents: the reference is ``ref``, the
    counterpart is ``parent_id`` and the amount is ``partner_latitude``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]
        cls.Recommendation = cls.env["gov.ai.recommendation"]
        cls.partner_model = cls.env["ir.model"]._get("res.partner")
        cls.vendor = cls.Partner.create(
            {"name": "Vendor A", "is_company": True, "vat": "BE0477472701"}
        )
        cls.vendor_twin = cls.Partner.create(
            {"name": "Vendor A (copy)", "is_company": True, "vat": "BE0477472701"}
        )
        cls.other_vendor = cls.Partner.create({"name": "Vendor B", "is_company": True})
        cls.fields = {
            name: cls.env["ir.model.fields"]._get("res.partner", name)
            for name in ("ref", "parent_id", "partner_latitude", "comment", "email")
        }
        cls.reviewer = cls.users["approver"]

    @classmethod
    def make_use_case(cls, task="duplicate", **values):
        visible = cls.fields["ref"] | cls.fields["parent_id"]
        visible |= cls.fields["partner_latitude"]
        vals = {
            "name": f"Test {task}",
            "model_id": cls.partner_model.id,
            "task": task,
            "field_ids": [(6, 0, visible.ids)],
            "reference_field_id": cls.fields["ref"].id,
            "partner_field_id": cls.fields["parent_id"].id,
            "amount_field_id": cls.fields["partner_latitude"].id,
            "review_threshold": 0.6,
            "auto_apply_threshold": 0.95,
            "reviewer_id": cls.reviewer.id,
            "min_history": 5,
        }
        vals.update(values)
        return cls.env["gov.ai.use.case"].create(vals)

    @classmethod
    def bill(cls, vendor, ref, amount, **values):
        vals = {"name": f"Bill {ref}", "parent_id": vendor.id, "ref": ref}
        vals.update(partner_latitude=amount, **values)
        return cls.Partner.create(vals)

    def run_ai_queue(self):
        """Run the AI queue's scheduled action as Odoo's scheduler does: its
        code runs as a server action, called again while it reports work
        left, each call in a transaction of its own (here, the test's)."""
        cron = self.env.ref("gov_ai.ir_cron_gov_ai_process")
        if type(self)._registry_patched:  # HTTP tests share their cursor already
            self.assertIs(cron.method_direct_trigger(), True)
            self.env.invalidate_all()
            return
        with self.enter_registry_test_mode():
            self.assertIs(cron.method_direct_trigger(), True)
