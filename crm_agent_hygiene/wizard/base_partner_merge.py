from odoo import api, models

from ..models.crm_agent_hygiene_mixin import DROP_AGENT_FIELDS


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    @api.model
    def _update_values(self, src_partners, dst_partner):
        """Odoo copies every plain field of the merged contacts onto the kept one, as the user who
        merges; the agent's flags are not theirs to write, and its next pass sets them again."""
        token = DROP_AGENT_FIELDS.set(True)
        try:
            return super()._update_values(src_partners, dst_partner)
        finally:
            DROP_AGENT_FIELDS.reset(token)
