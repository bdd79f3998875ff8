# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import test_company_rules
from . import test_engine_guard
from . import test_formats
from . import test_inbound_concurrency
from . import test_inbound_http
from . import test_late_secrets
from . import test_map_handler
from . import test_n8n_examples
from . import test_outbound
from . import test_provider_secrets
from . import test_public_url
from . import test_reports
from . import test_standard_interop
from . import test_tour
from . import test_wake
from . import test_retention
