# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import test_refund_risk_tool
from . import test_bill_checks
from . import test_refund_risk
from . import test_access
from . import test_tour
from . import test_engine_only
from . import test_documented_call
from . import test_bill_patterns
from . import test_duplicate_review
from . import test_unit_price_tool
from . import test_unit_price
