from . import test_stock
from . import test_waiting
from . import test_controls
from . import test_concurrency
from . import test_query_count
from . import test_stock_tour
