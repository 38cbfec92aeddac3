from . import test_scoring_training
from . import test_scoring_leads
from . import test_scoring_security
from . import test_scoring_trust
