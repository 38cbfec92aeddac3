import logging

from odoo import models

from .crm_agent_capture import MAIL_HEADERS

_logger = logging.getLogger(__name__)


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _message_route_process(self, message, message_dict, routes):
        """Keep what auto-capture needs (auto-reply and bounce headers, new thread or reply) for the
        message hooks."""
        headers = {}
        try:
            for key, value in message.items():
                if key.lower() in MAIL_HEADERS:
                    headers[key] = str(value)[:500]
        except Exception as exc:  # noqa: BLE001 - a malformed header only costs capture its hints
            _logger.info(
                "Auto-capture: unreadable headers in %s: %s", message_dict.get("message_id"), exc
            )
        # a route without a thread id creates the record: the mail is not a reply
        new_thread = any(not route[1] for route in routes or ())
        return super(
            MailThread,
            self.with_context(crm_agent_mail_headers=headers, crm_agent_mail_new_thread=new_thread),
        )._message_route_process(message, message_dict, routes)
