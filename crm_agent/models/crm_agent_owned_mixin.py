from odoo import api, models
from odoo.exceptions import AccessError


class CrmAgentOwnedMixin(models.AbstractModel):
    """Fields only the agent writes, on Odoo's models (scores, capture flags, hygiene keys, the
    approval link of an activity): a user gets an AccessError, whatever their rights on the
    record, through values and ``default_<field>`` context keys alike; the agent writes them in
    superuser mode. A model lists its fields by extending ``_agent_owned_fields()``.

    The check runs after the model's own ``create``/``write`` overrides (this mixin is a parent):
    an override must not add agent-owned values for a user; it writes them in superuser mode."""

    _name = "crm.agent.owned.mixin"
    _description = "Fields only the CRM agent writes"

    @api.model
    def _agent_owned_fields(self):
        return set()

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            owned = self._agent_owned_fields()
            vals_list = [self._agent_owned_check(vals) for vals in vals_list]
            # nor through default_<field> context keys
            context = {
                key: value
                for key, value in self.env.context.items()
                if not (key.startswith("default_") and key.removeprefix("default_") in owned)
            }
            if len(context) != len(self.env.context):
                self = self.with_env(self.env(context=context))  # noqa: PLW0642
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            vals = self._agent_owned_check(vals)
        return super().write(vals)

    @api.model
    def _agent_owned_check(self, vals):
        """``vals`` as this user may write them: AccessError on any agent-owned field (a model
        may instead drop them in a flow it controls, e.g. Odoo's own contact merge)."""
        owned = self._agent_owned_fields().intersection(vals)
        if owned:
            raise AccessError(
                self.env._(
                    "Only the CRM agent sets %(fields)s on %(model)s.",
                    fields=", ".join(sorted(owned)),
                    model=self._description,
                )
            )
        return vals
