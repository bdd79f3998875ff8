from . import purchase_order
from . import purchase_order_line
