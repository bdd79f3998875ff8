from . import gov_approval_tester
from . import gov_approval_tester_line
