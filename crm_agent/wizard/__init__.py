from . import crm_agent_action_reject
from . import mail_compose_message
