from . import test_engine
from . import test_sod
from . import test_concurrency
from . import test_escalation
from . import test_mass
from . import test_links
from . import test_access
from . import test_query_count
