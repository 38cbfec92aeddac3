# The ORM layer loads only inside Odoo (as odoo.addons.<name>); the engine stays importable alone.
if __name__.startswith("odoo.addons."):
    from . import models
    from . import wizard
