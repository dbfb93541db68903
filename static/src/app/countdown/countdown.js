import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { usePos } from "@point_of_sale/app/store/pos_hook";
import { patch } from "@web/core/utils/patch";
import { TicketScreen } from "@point_of_sale/app/screens/ticket_screen/ticket_screen";
import { acceptClock, countdownText, dukkangoClock, dukkangoTimes } from "./countdown_clock";

/** The acceptance countdown of one Dükkango order (ticket-screen row, order panel). */
export class DukkangoCountdown extends Component {
    static template = "pos_dukkango.DukkangoCountdown";
    static props = { order: Object, panel: { type: Boolean, optional: true } };

    setup() {
        this.clock = useState(dukkangoClock);
    }
    get state() {
        return acceptClock(dukkangoTimes(this.props.order), this.clock.now);
    }
    text(state) {
        return countdownText(state, this.props.order);
    }
    cssClass(state) {
        return {
            scheduled: "text-bg-info",
            waiting: "text-bg-light",
            urgent: "text-bg-warning",
            overdue: "text-bg-danger",
        }[state.phase];
    }
}

/** Above the ticket screen's list: the orders waiting past their acceptance deadline. */
export class DukkangoOverdueBanner extends Component {
    static template = "pos_dukkango.DukkangoOverdueBanner";
    static props = {};

    setup() {
        this.pos = usePos();
        this.clock = useState(dukkangoClock);
    }
    get overdue() {
        return this.pos.dukkangoOverdueOrders(this.clock.now);
    }
    get text() {
        const numbers = this.overdue.map((order) => `#${order.dukkango_number}`).join(", ");
        return this.overdue.length === 1
            ? _t("Dükkango %s waits past its acceptance deadline: accept or cancel it now.", numbers)
            : _t("Dükkango %s wait past their acceptance deadline: accept or cancel them now.", numbers);
    }
}

patch(TicketScreen, {
    components: { ...TicketScreen.components, DukkangoCountdown, DukkangoOverdueBanner },
});
