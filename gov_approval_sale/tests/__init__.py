from . import test_sale
from . import test_controls
from . import test_concurrency
from . import test_query_count
from . import test_sale_tour
