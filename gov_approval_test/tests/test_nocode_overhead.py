# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the no-code wrapper of a method and the gate of a governed model
cost on a model no matrix governs: no query and no cache miss, caches warm
(``bench/approval`` measures it at scale)."""

from odoo.tests import TransactionCase, tagged
from odoo.tools.cache import _COUNTERS

from odoo.addons.gov_approval.tools import nocode


@tagged("post_install", "-at_install")
class TestUngovernedOverhead(TransactionCase):
    def misses(self):
        return sum(
            counter.miss
            for (db, _method), counter in _COUNTERS.items()
            if db == self.env.cr.dbname
        )

    def test_a_call_on_an_ungoverned_model_costs_nothing(self):
        partner = self.env["res.partner"].create({"name": "Ungoverned"})

        def check():
            return nocode._config(partner), partner._gov_approval_is_governed()

        self.assertEqual(check(), (None, False))
        self.env.flush_all()
        before = self.misses()
        with self.assertQueryCount(0):
            for _call in range(100):
                check()
        self.assertEqual(self.misses(), before)
