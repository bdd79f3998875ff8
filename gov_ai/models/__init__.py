# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import gov_ai_provider
from . import gov_ai_use_case
from . import gov_ai_use_case_prompt
from . import gov_ai_use_case_evaluation
from . import gov_ai_use_case_index
from . import gov_ai_use_case_learning
from . import detectors
from . import gov_ai_recommendation
from . import gov_ai_recommendation_pipeline
from . import gov_ai_recommendation_queue
from . import gov_ai_recommendation_review
from . import gov_ai_recommendation_evidence
from . import base
from . import ir_actions_server
from . import base_automation
from . import gov_dashboard
