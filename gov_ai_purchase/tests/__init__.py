# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import test_three_way_tool
from . import test_three_way_match
from . import test_order_price
