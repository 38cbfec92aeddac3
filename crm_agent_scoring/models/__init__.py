from . import crm_agent_action
from . import crm_agent_scoring_feature
from . import crm_agent_scoring_model
from . import crm_lead
from . import res_company
from . import res_config_settings
