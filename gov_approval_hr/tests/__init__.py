from . import test_manager
