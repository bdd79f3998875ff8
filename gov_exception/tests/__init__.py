# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import test_capture
from . import test_concurrency
from . import test_replay
from . import test_retry
from . import test_sla_retention
from . import test_tour
from . import test_engine_only
from . import test_tools
from . import test_dashboard_trends
from . import test_no_replay_notice
