from . import crm_agent_action
from . import crm_agent_kind_policy
from . import crm_agent_target_mixin
from . import crm_lead
from . import mail_activity
from . import res_company
from . import res_config_settings
from . import res_partner
