import { patch } from "@web/core/utils/patch";
import { PosStore } from "@point_of_sale/app/store/pos_store";
import { _t } from "@web/core/l10n/translation";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { ask, makeAwaitable } from "@point_of_sale/app/store/make_awaitable_dialog";
import { NumberPopup } from "@point_of_sale/app/utils/input_popups/number_popup";
import { SelectionPopup } from "@point_of_sale/app/utils/input_popups/selection_popup";
import { isDukkangoOrder } from "./dukkango_status";

/** How often the till rings again while an order waits to be accepted (ms). */
export const DUKKANGO_REMINDER_INTERVAL = 30000;
/** How often the till reads the restaurant's open/closed state (ms). */
export const DUKKANGO_STORE_INTERVAL = 5 * 60 * 1000;

patch(PosStore.prototype, {
    async afterProcessServerData() {
        const result = await super.afterProcessServerData(...arguments);
        if (this.config.raw.dukkango_account_id) {
            this.data.connectWebSocket("DUKKANGO_ORDERS", (payload) =>
                this.dukkangoOnOrders(payload)
            );
            this.dukkangoReminder = setInterval(
                () => this.dukkangoRemind(),
                DUKKANGO_REMINDER_INTERVAL
            );
            this.dukkangoStore = { status: this.config.dukkango_store_status || false };
            setInterval(
                // offline: the last known state stays shown, no error for a passing outage
                () => this.dukkangoReadStore().catch(() => {}),
                DUKKANGO_STORE_INTERVAL
            );
        }
        return result;
    },
    getPrintingChanges(order, diningModeUpdate) {
        const changes = super.getPrintingChanges(...arguments);
        const dukkango = order.getDukkangoInfo();
        if (dukkango) {
            changes.dukkango = dukkango;
            changes.order_note = dukkango.note;
        }
        return changes;
    },
    get dukkangoCanToggleStore() {
        return this.get_cashier()?._role === "manager";
    },
    async dukkangoReadStore() {
        this.dukkangoStore.status = await this.data.call("pos.config", "dukkango_store_status_ui", [
            [this.config.id],
        ]);
    },
    /** Managers open or close the restaurant on Dükkango from the till. */
    async dukkangoToggleStore() {
        if (!this.dukkangoCanToggleStore) {
            return;
        }
        const opening = this.dukkangoStore.status !== "open";
        const confirmed = await ask(this.dialog, {
            title: _t("Dükkango"),
            body: opening
                ? _t("Open the restaurant on Dükkango? Customers can order again.")
                : _t("Close the restaurant on Dükkango? Customers cannot order until it opens again."),
        });
        if (!confirmed) {
            return;
        }
        const method = opening ? "action_dukkango_open_store" : "action_dukkango_close_store";
        try {
            await this.data.call("pos.config", method, [[this.config.id]]);
        } catch (error) {
            this.dialog.add(AlertDialog, {
                title: _t("Dükkango"),
                body: error?.data?.message || error?.message || String(error),
            });
        }
        await this.dukkangoReadStore();
    },
    get dukkangoOrders() {
        return this.models["pos.order"].filter(isDukkangoOrder);
    },
    get dukkangoWaitingCount() {
        return this.dukkangoOrders.filter((order) => order.dukkango_status === "received").length;
    },
    /** Bus message of the server: these pos.orders were imported or changed on Dükkango. */
    async dukkangoOnOrders({ pos_order_ids }) {
        const known = new Set(this.dukkangoOrders.map((order) => order.id));
        const orders = await this.loadServerOrders([["id", "in", pos_order_ids]]);
        const fresh = orders.filter((order) => !known.has(order.id));
        if (fresh.length) {
            this.sound.play("notification");
            this.notification.add(
                fresh.length === 1
                    ? _t("1 new Dükkango order")
                    : _t("%s new Dükkango orders", fresh.length),
                { type: "info", title: _t("Dükkango") }
            );
        }
        return orders;
    },
    /** Ring again while orders wait to be accepted. */
    dukkangoRemind() {
        if (this.dukkangoWaitingCount) {
            this.sound.play("bell");
        }
    },
    /** (Re)load this session's Dükkango orders from the server. */
    async dukkangoLoadOrders() {
        return await this.loadServerOrders([
            ["session_id", "=", this.session.id],
            ["dukkango_order_id", "!=", false],
        ]);
    },
    /** Call one platform action of the server on ``order`` and show the platform's answer. */
    async dukkangoCall(order, method, args = []) {
        try {
            await this.data.call("pos.order", method, [[order.id], ...args]);
        } catch (error) {
            this.dialog.add(AlertDialog, {
                title: _t("Dükkango"),
                body: error?.data?.message || error?.message || String(error),
            });
            return false;
        } finally {
            await this.loadServerOrders([["id", "=", order.id]]);
        }
        return true;
    },
    async dukkangoAccept(order) {
        const minutes = await makeAwaitable(this.dialog, NumberPopup, {
            title: _t("Preparation time (minutes)"),
            startingValue: String(order.dukkango_preparing_time || this.config.dukkango_preparing_time || 20),
            isValid: (value) => parseInt(value) > 0,
        });
        if (!minutes) {
            return false;
        }
        const accepted = await this.dukkangoCall(order, "action_dukkango_accept", [parseInt(minutes)]);
        if (accepted && this.printers_category_ids_set?.size) {
            // the kitchen starts cooking once the order is accepted
            await this.sendOrderInPreparation(order);
        }
        return accepted;
    },
    async dukkangoOnTheWay(order) {
        return await this.dukkangoCall(order, "action_dukkango_on_the_way");
    },
    async dukkangoComplete(order) {
        return await this.dukkangoCall(order, "action_dukkango_complete");
    },
    async dukkangoCancel(order) {
        let reasons;
        try {
            reasons = await this.data.call("pos.order", "dukkango_cancel_reasons", [[order.id]]);
        } catch (error) {
            this.dialog.add(AlertDialog, {
                title: _t("Dükkango"),
                body: error?.data?.message || error?.message || String(error),
            });
            return false;
        }
        const code = await makeAwaitable(this.dialog, SelectionPopup, {
            title: _t("Why is the order cancelled?"),
            list: reasons.map((reason) => ({
                id: reason.code,
                label: reason.name,
                item: reason.code,
            })),
        });
        if (!code) {
            return false;
        }
        return await this.dukkangoCall(order, "action_dukkango_cancel", [code]);
    },
});
