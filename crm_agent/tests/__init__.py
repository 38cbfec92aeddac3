from . import test_agent_action
from . import test_agent_access
from . import test_agent_concurrency
