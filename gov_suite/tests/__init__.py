from . import test_suite
from . import test_click_everywhere
