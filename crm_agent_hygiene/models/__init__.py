from . import crm_agent_hygiene_mixin
from . import crm_agent_hygiene
from . import crm_agent_hygiene_not_duplicate
from . import crm_agent_action
from . import crm_lead
from . import res_partner
from . import res_config_settings
