from . import test_agent_action
from . import test_agent_access
from . import test_agent_concurrency
from . import test_agent_ui
from . import test_agent_security
from . import test_agent_rights_matrix
from . import test_agent_query_counts
from . import test_demo_database
