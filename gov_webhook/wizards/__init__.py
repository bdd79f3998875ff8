# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import gov_webhook_secret_wizard
from . import gov_webhook_secret_entry_wizard
from . import gov_webhook_public_url_wizard
