# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import gov_exception_policy
from . import gov_exception_attempt
from . import gov_exception_item
from . import gov_exception_item_capture
from . import gov_exception_item_retry
from . import gov_exception_item_replay
from . import gov_exception_item_sla
from . import gov_exception_item_demo
from . import ir_actions_server
from . import res_config_settings
from . import gov_dashboard
