"""What an approver and a rep see and get (issue #11): words instead of keys and JSON (9), a
rejection that asks why and whether it is wrong or only "not now" (10), results told to the
approver and leftovers that close themselves (11), approval controls only for who may decide
(13), a small approval queue (3) and the settings' units and module descriptions (14)."""

import os
from datetime import timedelta

from lxml import etree

from odoo import fields
from odoo.exceptions import UserError
from odoo.modules.module import get_module_path
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.misc import format_date

from odoo.addons.crm_agent.engine.proposal import propose

from .common import AgentCase


def _notified(env, partner, text):
    """Messages that notified ``partner`` and contain ``text``."""
    notifications = env["mail.notification"].sudo().search([("res_partner_id", "=", partner.id)])
    return notifications.mail_message_id.filtered(lambda m: text in (m.body or ""))


@tagged("post_install", "-at_install", "crm_agent")
class TestAgentWords(AgentCase):
    """Item 9: labels, names and formatted values; JSON and keys only in debug mode."""

    def test_change_shows_labels_names_and_selection_labels(self):
        action = self.propose(values={"user_id": self.other_rep.id, "priority": "3"})
        html = str(action.with_user(self.approver).change_html)
        self.assertIn("Salesperson", html)
        self.assertIn("Olga Other", html)
        self.assertIn("Remy Rep", html, "the before value is a name too")
        priority_label = dict(self.lead._fields["priority"]._description_selection(self.env))["3"]
        self.assertIn(priority_label, html)
        self.assertNotIn(f">{self.other_rep.id}<", html, "never a raw id")
        self.assertNotIn("user_id", html)
        self.assertNotIn(">3<", html, "never a selection key")

    def test_a_related_record_the_viewer_cannot_read_is_not_named(self):
        other_company = self.env["res.company"].create({"name": "Elsewhere Ltd"})
        hidden = self.env["res.partner"].create(
            {"name": "Secret Customer", "company_id": other_company.id}
        )
        action = self.propose(values={"partner_id": hidden.id})
        self.assertIn("Secret Customer", str(action.change_html), "the agent itself may read it")
        as_rep = action.with_user(self.rep)
        as_rep.invalidate_recordset(["change_html"])
        html = str(as_rep.change_html)
        self.assertNotIn("Secret Customer", html)
        self.assertIn("a record you cannot see", html)

    def test_dates_are_formatted_for_the_viewer_without_microseconds(self):
        Action = self.Action.with_user(self.approver)
        deadline = fields.Date.today() + timedelta(days=3)
        self.assertEqual(
            Action._agent_format_value("crm.lead", "date_deadline", str(deadline)),
            format_date(self.env, deadline),
        )
        text = Action._agent_format_value("crm.lead", "date_closed", "2026-11-30 12:34:56.123456")
        self.assertNotIn(".123456", text)
        self.assertNotIn("2026-11-30 12:34:56", text)
        self.assertEqual(Action._agent_format_value("crm.lead", "phone", False), "—")

    def test_result_note_names_fields_by_their_labels(self):
        action = self.propose(values={"function": "Buyer", "phone": "+442079460958"})
        action.with_user(self.approver).action_approve()
        self.assertEqual(action.state, "done")
        self.assertIn("Job Position", action.result)
        self.assertNotIn("function", action.result)
        self.assertIn("Job Position", " ".join(self.agent_notes().mapped("body")))

    def test_policy_reason_uses_the_kind_label(self):
        action = self.propose(kind="overwrite_fields")
        self.assertNotIn("overwrite_fields", action.policy_reason)
        self.assertIn("Change typed values", action.policy_reason)
        self.assertNotIn("'assisted'", self.propose(values={"function": "X"}).policy_reason)

    def test_json_and_internal_keys_stay_in_debug_mode(self):
        arch = self.Action.with_user(self.approver).get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        tree = etree.fromstring(arch)
        for fname in ("payload_text", "before_image_text", "dedup_key", "res_id"):
            for node in tree.xpath(f"//field[@name='{fname}']"):
                self.assertTrue(any(a.get("invisible") == "1" for a in node.iterancestors()), fname)
        self.assertTrue(tree.xpath("//field[@name='change_html']"))
        described = self.Action.with_user(self.approver).fields_get(
            ["dedup_key", "res_id", "payload", "kind", "res_model"], ["groupable", "selection"]
        )
        self.assertFalse(described["dedup_key"]["groupable"])
        self.assertFalse(described["payload"]["groupable"])
        self.assertTrue(described["kind"]["groupable"])
        self.assertIn(("crm.lead", self.env["ir.model"]._get("crm.lead").name), [
            tuple(option) for option in described["res_model"]["selection"]
        ])  # fmt: skip


@tagged("post_install", "-at_install", "crm_agent")
class TestAgentRejection(AgentCase):
    """Item 10: a rejection says why (optionally) and whether it is wrong or only not now."""

    def _keyed(self, key="phone:lead"):
        return self.Action._agent_propose(
            propose(
                "crm.lead", self.lead.id, "update_fields", "Standardise the phone",
                "The phone is not in E.164 format.", 0.99, "agent",
                values={"phone": "+442079460958"}, key=key,
            )
        )  # fmt: skip

    def _reject(self, action, kind, reason=False):
        wizard = (
            self.env["crm.agent.action.reject"]
            .with_user(self.approver)
            .create({"action_ids": [(6, 0, action.ids)], "rejection_kind": kind, "reason": reason})
        )
        wizard.action_confirm()

    def test_not_now_without_a_reason_comes_back_after_the_setting(self):
        action = self._keyed()
        self._reject(action, "not_now")
        self.assertEqual(action.state, "rejected")
        self.assertEqual(action.rejection_kind, "not_now")
        self.assertFalse(action.rejection_reason, "no invented reason")
        self.assertFalse(self._keyed(), "not now: not asked again at once")
        action.sudo().rejected_date = fields.Datetime.now() - timedelta(days=31)
        again = self._keyed()
        self.assertEqual(again.state, "waiting", "after 30 days it may come back")
        # the period is a setting
        self._reject(again, "not_now")
        self.env["ir.config_parameter"].sudo().set_param("crm_agent.not_now_days", "7")
        again.sudo().rejected_date = fields.Datetime.now() - timedelta(days=8)
        self.assertTrue(self._keyed())

    def test_wrong_never_comes_back(self):
        action = self._keyed()
        self._reject(action, "wrong", "It is the switchboard")
        self.assertEqual(action.rejection_kind, "wrong")
        self.assertEqual(action.rejection_reason, "It is the switchboard")
        action.sudo().rejected_date = fields.Datetime.now() - timedelta(days=4000)
        self.assertFalse(self._keyed())
        notes = " ".join(self.agent_notes().mapped("body"))
        self.assertIn("will not propose it again", notes)
        self.assertIn("switchboard", notes)

    def test_a_bare_cancel_of_the_activity_is_a_neutral_not_now(self):
        action = self._keyed()
        action.activity_id.with_user(self.approver).unlink()
        self.assertEqual(action.state, "rejected")
        self.assertEqual(action.rejection_kind, "not_now")
        self.assertFalse(action.rejection_reason)
        self.assertIn("Dismissed for now", " ".join(self.agent_notes().mapped("body")))
        action.sudo().rejected_date = fields.Datetime.now() - timedelta(days=31)
        self.assertTrue(self._keyed())

    def test_cancel_in_the_chatter_opens_the_reject_dialog(self):
        action = self._keyed()
        dialog = action.activity_id.with_user(self.approver).action_agent_open_reject_dialog()
        self.assertEqual(dialog["res_model"], "crm.agent.action.reject")
        self.assertEqual(dialog["context"]["default_action_ids"], action.ids)
        self.assertEqual(action.state, "waiting", "opening the dialog decides nothing")
        with self.assertRaises(UserError):
            action.with_user(self.approver).action_reject(rejection_kind="forever")


@tagged("post_install", "-at_install", "crm_agent")
class TestAgentResults(AgentCase):
    """Item 11: the approver is told what happened; leftovers close themselves."""

    def test_stale_result_is_told_to_the_approver(self):
        action = self.propose()
        self.lead.phone = "020 7946 1111"
        result = action.with_user(self.approver).action_approve()
        self.assertEqual(action.state, "stale")
        self.assertTrue(_notified(self.env, self.approver.partner_id, "changed since the proposal"))
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn("changed since the proposal", result["params"]["message"])

    def test_failed_result_is_told_to_the_approver(self):
        action = self.propose(values={"phone": "+442079460958"})
        action.sudo().payload = {"values": {}}
        action.sudo().freshness_snapshot = {}
        with mute_logger("odoo.addons.crm_agent.models.crm_agent_action"):
            action.activity_id.with_user(self.approver).action_feedback()
        self.assertEqual(action.state, "failed")
        self.assertTrue(_notified(self.env, self.approver.partner_id, "Nothing to update"))

    def test_a_proposal_about_an_archived_record_closes_itself(self):
        lead = self.env["crm.lead"].create({"name": "Archived soon", "phone": "020 7946 0000"})
        action = self.propose(record=lead)
        activity = action.activity_id
        lead.action_archive()
        self.Action._cron_expire_actions()
        self.assertEqual(action.state, "stale")
        self.assertIn("archived", action.error)
        self.assertFalse(activity.exists(), "its activity is gone")

    def test_a_proposal_about_other_records_that_are_gone_closes_itself(self):
        other = self.env["crm.lead"].create({"name": "Merged away", "phone": "020 7946 0001"})
        action = self.propose(payload={"values": {"phone": "+44"}, "record_ids": [other.id]})
        other.unlink()
        closed = self.Action._agent_close_leftovers({"crm.lead"})
        self.assertEqual(closed, action)
        self.assertEqual(action.state, "stale")
        self.assertIn("no longer exist", action.error)
        self.assertIn("no longer exist", " ".join(self.agent_notes().mapped("body")))
        # and it stays in the history of who may read what is left (after a merge, say)
        self.assertEqual(
            self.Action.with_user(self.approver).search([("id", "=", action.id)]), action
        )

    def test_a_queued_proposal_about_a_deleted_record_closes_itself(self):
        lead = self.env["crm.lead"].create({"name": "Deleted soon", "phone": "020 7946 0002"})
        action = self.propose(record=lead)
        action.activity_id.sudo().write({"agent_action_id": False})
        action.sudo().activity_id = False
        lead.unlink()
        self.Action._cron_expire_actions()
        self.assertEqual(action.state, "stale")
        self.assertIn("no longer exists", action.error)


@tagged("post_install", "-at_install", "crm_agent")
class TestAgentApprovalControls(AgentCase):
    """Item 13: Mark done / Edit / Cancel only for who may decide; the others are told who."""

    def test_activity_controls_only_for_the_approver(self):
        action = self.propose()
        activity = action.activity_id
        as_rep = activity.with_user(self.rep)
        self.assertTrue(
            as_rep._filtered_access("write"), "Odoo alone would offer the rep the buttons"
        )
        self.assertFalse(as_rep.can_write)
        self.assertIn("Ada Approver", as_rep.agent_approval_info)
        as_approver = activity.with_user(self.approver)
        self.assertTrue(as_approver.can_write)
        self.assertFalse(as_approver.agent_approval_info)
        self.assertTrue(as_approver.agent_is_approval)

    def test_the_chatter_receives_the_informative_state(self):
        action = self.propose()
        data = action.activity_id.with_user(self.rep).activity_format()
        activity_data = data["mail.activity"][0]
        self.assertFalse(activity_data["can_write"])
        self.assertIn("Ada Approver", activity_data["agent_approval_info"])
        self.assertTrue(activity_data["agent_is_approval"])

    def test_ordinary_activities_keep_odoos_rights(self):
        activity = self.lead.activity_schedule(
            "mail.mail_activity_data_todo", summary="Call", user_id=self.approver.id
        )
        self.assertTrue(activity.with_user(self.rep).can_write)
        self.assertFalse(activity.with_user(self.rep).agent_approval_info)


@tagged("post_install", "-at_install", "crm_agent")
class TestAgentApprovalQueue(AgentCase):
    """Item 3: one activity per record, and a capped queue per approver, highest value first."""

    def test_proposals_on_one_record_share_one_activity(self):
        first = self.propose(values={"phone": "+442079460958"}, name="Standardise the phone")
        second = self.propose(values={"function": "Buyer"}, name="Fill the job position")
        self.assertTrue(first.activity_id)
        self.assertEqual(first.activity_id, second.activity_id)
        activities = self.lead.activity_ids.filtered(
            lambda a: a.activity_type_id == self.approval_type
        )
        self.assertEqual(len(activities), 1)
        self.assertIn("Fill the job position", str(activities.note))
        self.assertIn("Standardise the phone", str(activities.note))
        # deciding one from its form keeps the activity for the other
        first.with_user(self.approver).action_approve()
        self.assertTrue(activities.exists())
        self.assertNotIn("Standardise the phone", str(activities.note))
        # marking the activity done approves what it still asks about
        activities.with_user(self.approver).action_feedback()
        self.assertEqual(second.state, "done")
        self.assertEqual(self.lead.function, "Buyer")

    def test_the_queue_is_capped_highest_value_first(self):
        self.env["ir.config_parameter"].sudo().set_param("crm_agent.approver_queue_size", "2")
        leads = self.env["crm.lead"].create(
            [{"name": f"Queue {i}", "phone": f"020 7946 010{i}"} for i in range(4)]
        )
        # one run proposes in one call: its proposals are ranked together
        actions = self.Action._agent_propose(
            [
                propose(
                    "crm.lead", lead.id, "update_fields", f"Standardise the phone of {lead.name}",
                    "The phone is not in E.164 format.", confidence, "agent",
                    values={"phone": "+442079460958"},
                )
                for lead, confidence in zip(leads, (0.5, 0.9, 0.7, 0.95), strict=True)
            ]
        )  # fmt: skip
        asked = actions.filtered("activity_id")
        queued = actions.filtered("approval_queued")
        self.assertEqual(sorted(asked.mapped("confidence")), [0.9, 0.95])
        self.assertEqual(sorted(queued.mapped("confidence")), [0.5, 0.7])
        self.assertEqual(queued.mapped("state"), ["waiting", "waiting"])
        self.assertFalse(queued.activity_id)
        # answering one makes room for the best queued one
        asked[0].with_user(self.approver).action_approve()
        best = queued.filtered(lambda a: a.confidence == 0.7)
        self.assertTrue(best.activity_id)
        self.assertFalse(best.approval_queued)
        self.assertTrue((queued - best).approval_queued)
        # and the hourly job fills the room as well
        self.env["ir.config_parameter"].sudo().set_param("crm_agent.approver_queue_size", "0")
        self.Action._cron_expire_actions()
        self.assertTrue((queued - best).activity_id)


@tagged("post_install", "-at_install", "crm_agent")
class TestAgentSettingsAndApps(AgentCase):
    """Item 14: units in the settings, descriptions in Apps."""

    def test_settings_say_their_units(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"]["arch"]
        tree = etree.fromstring(arch)
        for setting in ("crm_agent_validity", "crm_agent_not_now"):
            node = tree.xpath(f"//setting[@id='{setting}']")[0]
            self.assertIn("days", "".join(node.itertext()), setting)
        settings = self.env["res.config.settings"].create(
            {"agent_not_now_days": 12, "agent_approver_queue_size": 5}
        )
        settings.execute()
        self.assertEqual(self.Action._agent_not_now_days(), 12)
        self.assertEqual(self.Action._agent_queue_size(), 5)

    def test_every_addon_has_a_description_page(self):
        for module in ("crm_agent", "crm_agent_hygiene", "crm_agent_scoring"):
            path = os.path.join(get_module_path(module), "static", "description", "index.html")
            self.assertTrue(os.path.isfile(path), module)
            record = self.env["ir.module.module"].search([("name", "=", module)])
            if record:
                self.assertIn("<section", str(record.description_html), module)
