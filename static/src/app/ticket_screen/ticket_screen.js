import { useState } from "@odoo/owl";
import { patch } from "@web/core/utils/patch";
import { _t } from "@web/core/l10n/translation";
import { fuzzyLookup } from "@web/core/utils/search";
import { parseUTCString } from "@point_of_sale/utils";
import { TicketScreen } from "@point_of_sale/app/screens/ticket_screen/ticket_screen";
import {
    DUKKANGO_BADGE_CLASSES,
    DUKKANGO_FILTERS,
    DUKKANGO_STATUS_LABELS,
    isDukkangoOrder,
} from "../dukkango_status";
import { dukkangoClock, formatUtc, isScheduledLater } from "../countdown/countdown_clock";

const ALL = "DUKKANGO";
/** The orders for a later time, whatever their status. */
const SCHEDULED = "DUKKANGO_SCHEDULED";

patch(TicketScreen.prototype, {
    setup() {
        super.setup(...arguments);
        // the Scheduled filter and the "Due" labels move with the till's clock
        this.dukkangoClock = useState(dukkangoClock);
    },
    get showDukkango() {
        return Boolean(this.pos.config.raw.dukkango_account_id);
    },
    isDukkangoFilter(filter) {
        return typeof filter === "string" && filter.startsWith(ALL);
    },
    _getFilterOptions() {
        const options = super._getFilterOptions(...arguments);
        if (this.showDukkango) {
            options.set(ALL, { text: _t("Dükkango") });
            for (const [key, text] of DUKKANGO_FILTERS) {
                options.set(key, { text, indented: true });
            }
            options.set(SCHEDULED, { text: _t("Scheduled"), indented: true });
        }
        return options;
    },
    async onFilterSelected(selectedFilter) {
        await super.onFilterSelected(...arguments);
        if (this.isDukkangoFilter(selectedFilter)) {
            try {
                await this.pos.dukkangoLoadOrders();
            } catch {
                // offline: the orders the till already has are listed, and read again once back
            }
        }
    },
    getFilteredOrderList() {
        if (!this.isDukkangoFilter(this.state.filter)) {
            return super.getFilteredOrderList(...arguments);
        }
        const statuses = DUKKANGO_FILTERS.find(([key]) => key === this.state.filter)?.[2];
        let orders = this.pos.dukkangoOrders.filter((order) =>
            this.state.filter === SCHEDULED
                ? isScheduledLater(order, this.dukkangoClock.now)
                : !statuses || statuses.includes(order.dukkango_status)
        );
        if (this.state.search.searchTerm) {
            const repr = this._getSearchFields()[this.state.search.fieldName].repr;
            orders = fuzzyLookup(this.state.search.searchTerm, orders, repr);
        }
        if (this.state.filter === SCHEDULED) {
            // the next one due first
            const due = (order) => parseUTCString(order.dukkango_scheduled_date);
            return orders.sort((a, b) => due(a) - due(b));
        }
        const date = (order) => parseUTCString(order.date_order);
        return orders.sort((a, b) => date(b) - date(a));
    },
    _getSearchFields() {
        const fields = super._getSearchFields(...arguments);
        if (this.showDukkango) {
            fields.DUKKANGO_NUMBER = {
                repr: (order) => (order.dukkango_number ? String(order.dukkango_number) : ""),
                displayName: _t("Dükkango Number"),
                modelField: "dukkango_order_id.dukkango_id",
            };
        }
        return fields;
    },
    getStatus(order) {
        if (isDukkangoOrder(order) && order.state === "cancel") {
            return _t("Cancelled");
        }
        return super.getStatus(...arguments);
    },
    isDukkangoOrder(order) {
        return isDukkangoOrder(order);
    },
    dukkangoStatusLabel(order) {
        return DUKKANGO_STATUS_LABELS[order.dukkango_status] || order.dukkango_status || "";
    },
    /** The due time of an order for a later time ("" for the others). */
    dukkangoDue(order) {
        return isScheduledLater(order, this.dukkangoClock.now) ? formatUtc(order.dukkango_scheduled_date) : "";
    },
    dukkangoBadgeClass(order) {
        return DUKKANGO_BADGE_CLASSES[order.dukkango_status] || "text-bg-light";
    },
});
