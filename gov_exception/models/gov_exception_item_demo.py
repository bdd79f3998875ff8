# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Items for the demo database (called from ``demo/gov_exception_demo.xml``)."""

from odoo import api, models


class GovExceptionItem(models.Model):
    """Demo items, raised through the capture API as real ones are."""

    _inherit = "gov.exception.item"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _create_demo_items(self):
        """A few realistic items for the demo database."""
        partner = self.env.ref("base.res_partner_12", raise_if_not_found=False)
        self.capture(
            "malformed",
            "Order webhook: body is not valid JSON",
            source="shop-orders",
            source_type="endpoint",
            payload='{"order": 1042, "total": 12.5,',
            headers={
                "Content-Type": "application/json",
                "Authorization": "Bearer sk_live_demo",
            },
            error="Expecting property name enclosed in double quotes: line 1 column 31",
            severity="high",
            correlation_id="evt_demo_1042",
        )
        if partner:
            self.capture(
                "handler",
                "CRM contact sync: the update was refused",
                source="crm-contacts",
                source_type="endpoint",
                record=partner,
                payload={"phone": "+32 2 555 01 01", "website": "htp:/broken"},
                error="Invalid website address",
                handler={
                    "model": "res.partner",
                    "method": "write",
                    "res_id": partner.id,
                },
                severity="medium",
            )
        self.capture(
            "business_rule",
            "Vendor bank account changed without a second pair of eyes",
            source="Vendor bank change",
            source_type="automation",
            record=partner,
            payload={
                "old_iban": "BE71 0961 2345 6769",
                "new_iban": "FR76 3000 6000 0112 3456 7890 189",
            },
            severity="medium",
        )
        return True
