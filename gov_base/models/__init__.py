from . import gov_audit_event
from . import gov_audit_verification
from . import gov_dashboard
from . import gov_sod_rule
from . import gov_sod_violation
from . import res_config_settings
from . import res_groups
from . import res_users
