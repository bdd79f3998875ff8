import importlib.util

from . import test_suite
from . import test_click_everywhere

# pytest imports this package for conftest.py before Odoo sets its addons
# path; the adversarial suite and the role tests, which need the other
# addons, are then imported by pytest itself, and by Odoo's test runner
# through these lines
if importlib.util.find_spec("odoo.addons.gov_base"):
    from . import test_adversarial
    from . import test_role_buttons
    from . import test_auditor_configuration
