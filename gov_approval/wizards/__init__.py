from . import gov_approval_decision_wizard
from . import gov_approval_simulate_wizard
from . import gov_approval_reassign_wizard
from . import gov_approval_replay
from . import gov_approval_replay_line
from . import gov_approval_matrix_designer
from . import gov_approval_matrix_designer_level
