# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import test_tools
from . import test_recommendation
from . import test_security
from . import test_openai_provider
from . import test_detectors
from . import test_tour
from . import test_engine_only
from . import test_learning
from . import test_evidence
