# Copyright 2026 Governed Operations
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from . import gov_approval_matrix_line
from . import gov_approval_request
from . import gov_approval_request_findings
