from . import test_agent_action
from . import test_agent_access
from . import test_agent_concurrency
from . import test_agent_ui
from . import test_capture_mail
from . import test_capture_calendar
from . import test_agent_security
from . import test_agent_rights_matrix
