from . import gov_stock_adjustment
from . import gov_stock_adjustment_line
from . import stock_quant
from . import stock_move
from . import stock_quant_waiting
