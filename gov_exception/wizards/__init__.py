# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import gov_exception_replay_wizard
from . import gov_exception_close_wizard
