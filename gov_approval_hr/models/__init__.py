from . import gov_approval_step
