# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import account_move
from . import gov_ai_use_case
from . import gov_ai_recommendation
from . import gov_ai_use_case_unit_price
