from . import test_scoring_training
from . import test_scoring_leads
from . import test_scoring_security
from . import test_scoring_trust
from . import test_next_best_action
from . import test_next_best_action_tour
