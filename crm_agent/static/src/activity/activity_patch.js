import { Activity } from "@mail/core/web/activity";
import { ActivityListPopoverItem } from "@mail/core/web/activity_list_popover_item";

import { patch } from "@web/core/utils/patch";

/**
 * Cancel on an agent approval asks why, in the reject dialog (a reason, and whether the proposal
 * is wrong or only not wanted now), instead of deleting the activity at once.
 */
async function openRejectDialog(component, activity, onDone) {
    const action = await component.env.services.orm.call(
        "mail.activity",
        "action_agent_open_reject_dialog",
        [[activity.id]]
    );
    if (!action) {
        return onDone();
    }
    await component.env.services.action.doAction(action, { onClose: () => onDone() });
}

patch(Activity.prototype, {
    async unlink() {
        if (!this.props.activity.agent_is_approval) {
            return super.unlink(...arguments);
        }
        const thread = this.thread;
        await openRejectDialog(this, this.props.activity, () => {
            this.props.onActivityChanged(thread);
            this.props.reloadParentView?.();
        });
    },
});

patch(ActivityListPopoverItem.prototype, {
    unlink() {
        if (!this.props.activity.agent_is_approval) {
            return super.unlink(...arguments);
        }
        return openRejectDialog(this, this.props.activity, () =>
            this.props.onActivityChanged?.()
        );
    },
});
