from . import test_access
from . import test_audit
from . import test_audit_chain
from . import test_audit_concurrency
from . import test_dashboard
from . import test_server_action
from . import test_sod
from . import test_tour
