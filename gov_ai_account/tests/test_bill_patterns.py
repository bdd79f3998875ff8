# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""How accounts payable really looks: twin vendor records, contacts,
recurring series, split deliveries, seasonal, volatile and thin vendors."""

from datetime import date

from odoo.tests import tagged

from odoo.addons.gov_ai.tools.series import SIMILAR_NAME_WEIGHT

from .common import GovAiAccountCase


@tagged("post_install", "-at_install")
class TestBillPatterns(GovAiAccountCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Partner = cls.env["res.partner"]

    def vendor(self, name, **vals):
        return self.Partner.create(dict({"name": name, "is_company": True}, **vals))

    def duplicate_of(self, bill):
        recommendation = self.recommendations(bill, self.uc_duplicate)
        self.assertEqual(len(recommendation), 1)
        return recommendation

    def similar(self, recommendation):
        return [m["id"] for m in recommendation.evidence["similar_records"]]

    # ------------------------------------------------------------------
    # Who counts as the same vendor
    # ------------------------------------------------------------------
    def test_twin_vendor_records_without_vat_are_compared(self):
        for name, twin_name in (
            ("Acme Gas & Power", "Acme Gas & Power (old)"),
            ("Cyberdyne Telecom", "Cyberdyne-Telecom"),
        ):
            vendor, twin = self.vendor(name), self.vendor(twin_name)
            self.assertFalse(vendor.vat or twin.vat)
            original = self.bill(
                812.4, ref=f"{name[:3]}-4471", partner=vendor, days_ago=6, post=True
            )
            again = self.bill(812.4, ref=f"{name[:3]}-4471", partner=twin, days_ago=2)
            recommendation = self.duplicate_of(again)
            self.assertEqual(recommendation.state, "proposed", name)
            self.assertEqual(self.similar(recommendation), original.ids, name)

    def twin_check(
        self, name, twin_name, ref="TW-4471", days_ago=2, original_ref="TW-4471"
    ):
        """A posted bill of vendor ``name``, then one of the same amount (the
        same bill, by default) entered on vendor ``twin_name``: the original
        and the check of the second one."""
        vendor, twin = self.vendor(name), self.vendor(twin_name)
        original = self.bill(
            812.4, ref=original_ref, partner=vendor, days_ago=6, post=True
        )
        again = self.bill(812.4, ref=ref, partner=twin, days_ago=days_ago)
        return original, self.duplicate_of(again)

    def test_typo_and_variant_twins_are_compared_by_a_similar_name(self):
        self.assertTrue(self.env.registry.has_trigram)
        _original, exact = self.twin_check("Skynet Systems", "Skynet-Systems")
        [exact_match] = exact.evidence["similar_records"]
        self.assertNotIn("similar_name", exact_match)
        for name, twin_name, similarity in (
            ("Cyberdyne Telecom", "Cyberdine Telecom", "0.70"),
            ("Wayne Logistics", "Wayne Logistcs", "0.71"),
            ("Umbrella Cleaning", "Umbrela Cleaning", "0.83"),
            ("Stark Office Supply", "Stark Office Supplies", "0.73"),
            ("Acme Gas & Power", "Acme Gas and Power", "1.00"),
        ):
            original, recommendation = self.twin_check(name, twin_name)
            self.assertEqual(recommendation.state, "proposed", twin_name)
            self.assertEqual(self.similar(recommendation), original.ids, twin_name)
            # the reviewer sees why a bill of another vendor was compared
            self.assertIn(
                f"vendor '{name}' is named like '{twin_name}'"
                f" (similarity {similarity})",
                recommendation.explanation,
            )
            # and the name alone counts a little less than a shared key
            [match] = recommendation.evidence["similar_records"]
            self.assertEqual(match["similar_name"]["similarity"], float(similarity))
            self.assertEqual(
                match["score"], round(exact_match["score"] * SIMILAR_NAME_WEIGHT, 4)
            )

    def test_only_the_duplicate_check_looks_for_similar_names(self):
        vendor, typo = (
            self.vendor("Cyberdyne Telecom"),
            self.vendor("Cyberdine Telecom"),
        )
        bill = self.bill(812.4, ref="TW-4471", partner=typo)
        use_case = self.uc_anomaly.sudo()
        data, _fingerprint = use_case._minimised_input(bill)
        # the amount check pools the history of twins: no stranger enters it
        self.assertNotIn(vendor.id, use_case._partner_identity(data))
        partner_ids, similar = use_case._partner_twins(data, similar_names=True)
        self.assertIn(vendor.id, partner_ids)
        self.assertEqual(similar[vendor.id]["like"], "Cyberdine Telecom")

    def test_similar_names_of_distinct_vendors_are_no_twins(self):
        for name, other_name in (
            ("Acme Gas", "Acme Glass"),  # short, and 0.38 alike
            ("North Water Ltd", "South Water Ltd"),  # 0.38 alike
            ("Alpha Consulting 1", "Alpha Consulting 2"),  # numbered
            ("Northern Electric", "Southern Electric"),  # 0.55 alike
        ):
            # the same bill on another vendor: not even compared
            _original, recommendation = self.twin_check(name, other_name)
            self.assertEqual(recommendation.state, "clear", other_name)
            self.assertEqual(recommendation.evidence["candidates_compared"], 0)

    def test_a_similar_name_alone_makes_no_duplicate(self):
        # a bill of the same amount on the same day, whose reference is alike
        # but carries another number: a duplicate of an exact twin's bill...
        bills = {"original_ref": "INV-2025-34567", "ref": "INV-2025-34512"}
        _original, exact = self.twin_check(
            "Skynet Systems", "Skynet-Systems", days_ago=6, **bills
        )
        self.assertEqual(exact.state, "proposed")
        # ... but a vendor named alike needs the reference to agree too
        for name, other_name in (
            ("Stark Office Supply", "Stark Office Supplies"),
            ("Smith Consulting", "Smyth Consulting"),
        ):
            _original, similar = self.twin_check(name, other_name, days_ago=6, **bills)
            self.assertEqual(similar.evidence["candidates_compared"], 1, other_name)
            self.assertEqual(similar.state, "clear", other_name)
            [match] = similar.evidence["similar_records"]
            self.assertLess(match["score"], self.uc_duplicate.sudo().review_threshold)

    def test_without_trigrams_only_the_same_name_is_a_twin(self):
        # the registry reads whether PostgreSQL has pg_trgm when it loads
        self.patch(self.env.registry, "has_trigram", False)
        _original, typo = self.twin_check("Cyberdyne Telecom", "Cyberdine Telecom")
        self.assertEqual(typo.evidence["candidates_compared"], 0)
        original, exact = self.twin_check("Umbrella Cleaning", "Umbrella-Cleaning")
        self.assertEqual(self.similar(exact), original.ids)

    def test_vendor_sharing_a_bank_account_is_the_same_vendor(self):
        vendor, twin = self.vendor("Globex"), self.vendor("Hank Scorpio Holdings")
        for partner in vendor | twin:
            self.env["res.partner.bank"].create(
                {"acc_number": "DE89 3704 0044 0532 0130 00", "partner_id": partner.id}
            )
        original = self.bill(2300.0, ref="GX-88", partner=vendor, days_ago=3, post=True)
        again = self.bill(2300.0, ref="GX88", partner=twin, days_ago=1)
        self.assertEqual(self.similar(self.duplicate_of(again)), original.ids)
        # another vendor with another account is still a stranger
        stranger = self.vendor("Initech")
        other = self.bill(2300.0, ref="GX-88", partner=stranger, days_ago=1)
        self.assertEqual(self.duplicate_of(other).state, "clear")

    def test_bill_on_the_vendors_contact_is_compared_with_the_company(self):
        vendor = self.vendor("Northwind Traders")
        contact = self.Partner.create(
            {"name": "Accounts Receivable", "parent_id": vendor.id, "type": "invoice"}
        )
        original = self.bill(
            431.0, ref="NW-5521", partner=contact, days_ago=4, post=True
        )
        again = self.bill(431.0, ref="NW 5521", partner=vendor, days_ago=1)
        recommendation = self.duplicate_of(again)
        self.assertEqual(recommendation.state, "proposed")
        self.assertEqual(self.similar(recommendation), original.ids)

    # ------------------------------------------------------------------
    # Recurring series and split deliveries
    # ------------------------------------------------------------------
    def test_next_bill_of_a_series_is_no_duplicate_a_second_one_is(self):
        vendor = self.vendor("Telco Monthly")
        for index, number in enumerate(range(11836, 11840)):
            self.bill(
                199.0,
                ref=f"FA260{number}",
                partner=vendor,
                days_ago=30 * (4 - index),
                post=True,
            )
        following = self.bill(199.0, ref="FA26011840", partner=vendor)
        recommendation = self.duplicate_of(following)
        self.assertEqual(recommendation.state, "clear")
        self.assertFalse(recommendation.exception_item_id)
        again = self.bill(199.0, ref="FA26011839", partner=vendor, days_ago=28)
        recommendation = self.duplicate_of(again)
        self.assertEqual(recommendation.state, "proposed")
        self.assertIn("second bill within one period", recommendation.explanation)

    def test_contract_billed_each_period_under_one_reference(self):
        vendor = self.vendor("Office Lease Ltd")
        for months in (3, 2, 1):
            self.bill(
                1500.0, ref="LEASE-77", partner=vendor, days_ago=30 * months, post=True
            )
        next_month = self.bill(1500.0, ref="LEASE-77", partner=vendor)
        recommendation = self.duplicate_of(next_month)
        self.assertEqual(recommendation.state, "clear")
        self.assertFalse(recommendation.exception_item_id)
        twice = self.bill(1500.0, ref="LEASE-77", partner=vendor, days_ago=2)
        self.assertEqual(self.duplicate_of(twice).state, "proposed")

    def test_fixed_amount_without_reference_opens_no_exception(self):
        vendor = self.vendor("Cleaning Crew")
        for months in (3, 2, 1):
            self.bill(450.0, partner=vendor, days_ago=30 * months, post=True)
        following = self.bill(450.0, partner=vendor)
        recommendation = self.duplicate_of(following)
        self.assertEqual(recommendation.state, "clear")
        self.assertFalse(recommendation.exception_item_id)
        self.assertFalse(
            self.env["gov.exception.item"]
            .sudo()
            .search([("fingerprint", "like", f"gov_ai:{self.uc_duplicate.id}:%")])
        )

    def test_split_delivery_is_no_duplicate(self):
        vendor = self.vendor("Parts Depot")
        self.bill(500.0, ref="ORD-123-1", partner=vendor, days_ago=1, post=True)
        second_half = self.bill(500.0, ref="ORD-123-2", partner=vendor, days_ago=1)
        self.assertEqual(self.duplicate_of(second_half).state, "clear")
        # the same part entered twice still is a duplicate
        again = self.bill(500.0, ref="ORD-123-1", partner=vendor)
        self.assertEqual(self.duplicate_of(again).state, "proposed")

    # ------------------------------------------------------------------
    # Amounts
    # ------------------------------------------------------------------
    def anomaly_of(self, bill):
        recommendation = self.recommendations(bill, self.uc_anomaly)
        self.assertEqual(len(recommendation), 1)
        return recommendation

    def test_ten_times_the_bill_of_a_volatile_vendor_is_unusual(self):
        vendor = self.vendor("Freight on Demand")
        amounts = [100, 250, 60, 400, 150, 90, 300, 120, 500, 80, 200, 70, 350, 110]
        for index, amount in enumerate(amounts):
            self.bill(float(amount), partner=vendor, days_ago=7 * (index + 1))
        unusual = self.anomaly_of(self.bill(1650.0, partner=vendor))
        self.assertEqual(unusual.label, "anomaly")
        self.assertEqual(unusual.state, "proposed")
        self.assertGreater(unusual.evidence["assessment"]["ratio"], 9)
        self.assertIn("x the expected amount", unusual.explanation)
        usual = self.anomaly_of(self.bill(480.0, partner=vendor))
        self.assertEqual(usual.label, "normal")

    def test_three_times_the_usual_of_a_varied_vendor_is_unusual(self):
        vendor = self.vendor("Print on Demand")
        amounts = [120, 150, 180, 200, 220, 260, 300, 330, 140, 210, 250, 170]
        amounts += [190, 280, 100, 400]
        for index, amount in enumerate(amounts):
            self.bill(float(amount), partner=vendor, days_ago=7 * (index + 1))
        # 3.4 times the usual, |M| about 3: below the limit of 3.5, but an
        # amount this far above a vendor's usual is what gets overpaid
        unusual = self.anomaly_of(self.bill(700.0, partner=vendor))
        self.assertEqual(unusual.label, "anomaly")
        assessment = unusual.evidence["assessment"]
        self.assertLess(abs(assessment["z"]), 3.5)
        self.assertTrue(assessment["by_multiple"])
        self.assertIn("Unusual all the same", unusual.explanation)
        # as far below the usual is within the vendor's spread
        low = self.anomaly_of(self.bill(60.0, partner=vendor))
        self.assertEqual(low.label, "normal")

    def test_seasonal_vendor_is_judged_against_its_month(self):
        self.uc_anomaly.sudo().write(
            {
                "field_ids": [
                    (4, self.env.ref("account.field_account_move__invoice_date").id)
                ],
                "date_field_id": self.env.ref(
                    "account.field_account_move__invoice_date"
                ).id,
            }
        )
        vendor = self.vendor("Heating Oil Co")
        # two years of monthly bills: 1,000 in winter, 100 otherwise
        for year in (2024, 2025):
            for month in range(1, 13):
                day = date(year, month, 15)
                amount = 1000.0 if month in (12, 1, 2) else 100.0
                self.bill(amount, partner=vendor, days_ago=(self.today - day).days)
        winter_day = date(2026, 1, 20)
        winter = self.bill(
            1000.0, partner=vendor, days_ago=(self.today - winter_day).days
        )
        recommendation = self.anomaly_of(winter)
        self.assertEqual(recommendation.label, "normal")
        self.assertEqual(recommendation.state, "clear")
        summer = self.anomaly_of(self.bill(1000.0, partner=vendor))
        self.assertEqual(summer.label, "anomaly")

    def test_thin_vendor_borrows_the_spread_of_its_peers(self):
        for index in range(10):
            self.bill(100.0 + 3 * index, partner=self.partner_b, days_ago=index)
            self.bill(5000.0 + 90 * index, partner=self.partner_a, days_ago=index)
        vendor = self.vendor("New Supplier")
        for amount in (200.0, 210.0, 195.0, 205.0):
            self.bill(amount, partner=vendor, days_ago=3)
        unusual = self.anomaly_of(self.bill(1000.0, partner=vendor))
        self.assertEqual(unusual.evidence["assessment"]["baseline"], "peers")
        self.assertEqual(unusual.label, "anomaly")
        self.assertAlmostEqual(unusual.evidence["assessment"]["ratio"], 4.94, places=1)
