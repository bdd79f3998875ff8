# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import gov_webhook_endpoint
from . import gov_webhook_field_map
from . import gov_webhook_rejection
from . import gov_webhook_inbox
from . import gov_webhook_inbox_test_delivery
from . import gov_webhook_allowed_host
from . import gov_webhook_subscription
from . import gov_webhook_delivery
from . import ir_actions_server
from . import ir_cron
from . import gov_dashboard
from . import res_config_settings
