from . import test_purchase
from . import test_concurrency
from . import test_query_count
from . import test_tour
from . import test_controls
from . import test_scheduled_action
from . import test_inbox
from . import test_inbox_tour
