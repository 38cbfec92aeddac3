from . import crm_agent_action_reject
