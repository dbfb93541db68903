import { Component, useState } from "@odoo/owl";
import { usePos } from "@point_of_sale/app/store/pos_hook";
import { patch } from "@web/core/utils/patch";
import { TicketScreen } from "@point_of_sale/app/screens/ticket_screen/ticket_screen";
import { DUKKANGO_BADGE_CLASSES, DUKKANGO_STATUS_LABELS } from "../dukkango_status";
import { DukkangoCountdown } from "../countdown/countdown";

/** Platform details and actions (accept, on the way, complete, cancel) of one Dükkango order. */
export class DukkangoOrderPanel extends Component {
    static template = "pos_dukkango.DukkangoOrderPanel";
    static props = { order: Object };
    static components = { DukkangoCountdown };

    setup() {
        this.pos = usePos();
        this.state = useState({ busy: false });
    }
    get info() {
        return this.props.order.getDukkangoInfo();
    }
    get statusLabel() {
        const status = this.props.order.dukkango_status;
        return DUKKANGO_STATUS_LABELS[status] || status || "";
    }
    get badgeClass() {
        return DUKKANGO_BADGE_CLASSES[this.props.order.dukkango_status] || "text-bg-light";
    }
    async run(action) {
        if (this.state.busy) {
            return;
        }
        this.state.busy = true;
        try {
            await this.pos[action](this.props.order);
        } finally {
            this.state.busy = false;
        }
    }
}

patch(TicketScreen, {
    components: { ...TicketScreen.components, DukkangoOrderPanel },
});
