from . import crm_agent_my_day
