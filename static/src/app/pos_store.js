import { patch } from "@web/core/utils/patch";
import { PosStore } from "@point_of_sale/app/store/pos_store";
import { _t } from "@web/core/l10n/translation";
import { browser } from "@web/core/browser/browser";
import { ConnectionLostError } from "@web/core/network/rpc";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { ask, makeAwaitable } from "@point_of_sale/app/store/make_awaitable_dialog";
import { NumberPopup } from "@point_of_sale/app/utils/input_popups/number_popup";
import { SelectionPopup } from "@point_of_sale/app/utils/input_popups/selection_popup";
import { isDukkangoOrder } from "./dukkango_status";
import {
    DUKKANGO_REMINDER_INTERVAL,
    acceptClock,
    countdownText,
    dukkangoTimes,
    reminderInterval,
} from "./countdown/countdown_clock";

/** How often the till rings again while an order waits to be accepted (ms). */
export { DUKKANGO_REMINDER_INTERVAL };
/** How often the countdowns move, and the till decides whether to ring (ms). */
export const DUKKANGO_TICK_INTERVAL = 1000;
/** How often the till reads the restaurant's open/closed state (ms). */
export const DUKKANGO_STORE_INTERVAL = 5 * 60 * 1000;

/** What the staff read of a failed call: offline, or the server's (translated) message. */
export function dukkangoErrorMessage(error) {
    if (error instanceof ConnectionLostError) {
        return _t(
            "The till is offline: nothing was sent to Dükkango. Try again when the connection is back."
        );
    }
    return error?.data?.message || error?.message || String(error);
}

patch(PosStore.prototype, {
    async afterProcessServerData() {
        const result = await super.afterProcessServerData(...arguments);
        if (this.config.raw.dukkango_account_id) {
            this.dukkangoStore = { status: this.config.dukkango_store_status || false, attention: 0 };
            this.data.connectWebSocket("DUKKANGO_ORDERS", (payload) =>
                this.dukkangoOnOrders(payload)
            );
            this.data.connectWebSocket("DUKKANGO_ATTENTION", () => this.dukkangoRefreshStore());
            this.dukkangoRefreshStore();
            this.dukkangoStart();
        }
        return result;
    },
    /** Start the till's timers and listeners (once: a second start replaces the first). */
    dukkangoStart() {
        this.dukkangoStop();
        this.dukkangoTimers = [
            setInterval(() => this.dukkangoTick(), DUKKANGO_TICK_INTERVAL),
            setInterval(() => this.dukkangoRefreshStore(), DUKKANGO_STORE_INTERVAL),
        ];
        this.dukkangoListeners = {
            // back online: read what changed meanwhile (a bus message may have been missed)
            online: () => this.dukkangoRecover(),
            pagehide: () => this.dukkangoStop(),
        };
        for (const [event, listener] of Object.entries(this.dukkangoListeners)) {
            browser.addEventListener(event, listener);
        }
    },
    /** The till's teardown: no timer or listener of the module is left behind. */
    dukkangoStop() {
        for (const timer of this.dukkangoTimers || []) {
            clearInterval(timer);
        }
        for (const [event, listener] of Object.entries(this.dukkangoListeners || {})) {
            browser.removeEventListener(event, listener);
        }
        this.dukkangoTimers = [];
        this.dukkangoListeners = {};
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
    get dukkangoStoreTitle() {
        const open = this.dukkangoStore?.status === "open";
        const state = open ? _t("Open on Dükkango") : _t("Closed on Dükkango");
        if (!this.dukkangoCanToggleStore) {
            return state;
        }
        const action = open ? _t("Close the restaurant on Dükkango") : _t("Open the restaurant on Dükkango");
        return `${state} · ${action}`;
    },
    async dukkangoReadStore() {
        this.dukkangoStore.status = await this.data.call("pos.config", "dukkango_store_status_ui", [
            [this.config.id],
        ]);
        // the orders Dükkango believes delivered that are not in a till as they should be
        this.dukkangoStore.attention = await this.data.call("pos.config", "dukkango_attention_ui", [
            [this.config.id],
        ]);
    },
    get dukkangoAttentionText() {
        const count = this.dukkangoStore?.attention || 0;
        return count === 1
            ? _t("1 Dükkango order needs attention")
            : _t("%s Dükkango orders need attention", count);
    },
    dukkangoShowAttention() {
        this.dialog.add(AlertDialog, {
            title: this.dukkangoAttentionText,
            body: _t(
                "Dükkango believes these orders were delivered to this restaurant, but they are not in the till " +
                    "as they should be. A manager finds them in Point of Sale ▸ Dükkango ▸ Orders, filter " +
                    "Needs attention."
            ),
        });
    },
    /** Read the restaurant's state; offline, the last known state stays shown. Never rejects. */
    async dukkangoRefreshStore() {
        try {
            await this.dukkangoReadStore();
            return true;
        } catch {
            return false;
        }
    },
    /** Back online: the session's Dükkango orders and the restaurant's state are read again. */
    async dukkangoRecover() {
        try {
            await this.dukkangoLoadOrders();
        } catch {
            // still unreachable: the next "online" event, bus message or filter click reads them
            return false;
        }
        await this.dukkangoRefreshStore();
        return true;
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
            this.dukkangoAlert(error);
        }
        await this.dukkangoRefreshStore();
    },
    dukkangoAlert(error, title = _t("Dükkango")) {
        this.dialog.add(AlertDialog, { title, body: dukkangoErrorMessage(error) });
    },
    get dukkangoOrders() {
        return this.models["pos.order"].filter(isDukkangoOrder);
    },
    get dukkangoWaitingCount() {
        return this.dukkangoOrders.filter((order) => order.dukkango_status === "received").length;
    },
    /** Bus message of the server: these pos.orders were imported or changed on Dükkango. */
    async dukkangoOnOrders({ pos_order_ids }) {
        this.dukkangoRefreshStore();
        const known = new Set(this.dukkangoOrders.map((order) => order.id));
        let orders;
        try {
            orders = await this.loadServerOrders([["id", "in", pos_order_ids]]);
        } catch {
            // lost between the message and the read: read again when the till is back online
            return [];
        }
        const fresh = orders.filter((order) => !known.has(order.id));
        if (fresh.length) {
            this.dukkangoNoticeFresh(fresh);
        }
        return orders;
    },
    /** The live notice of new orders: how long ago each was placed, how long is left to accept it.
     * Orders for a later time ring only when it is time to prepare them. */
    dukkangoNoticeFresh(fresh) {
        const now = Date.now();
        const details = fresh.map((order) => {
            const text = countdownText(acceptClock(dukkangoTimes(order), now), order);
            return text ? `#${order.dukkango_number}: ${text}` : `#${order.dukkango_number}`;
        });
        const clocks = fresh.map((order) => acceptClock(dukkangoTimes(order), now));
        if (!clocks.every((clock) => clock?.phase === "scheduled")) {
            this.sound.play("notification");
            this.dukkangoLastRing = now; // the next reminder counts from this sound
        }
        const title =
            fresh.length === 1 ? _t("1 new Dükkango order") : _t("%s new Dükkango orders", fresh.length);
        this.notification.add(`${title} · ${details.join(" · ")}`, { type: "info", title: _t("Dükkango") });
    },
    /** The clocks of the orders waiting to be accepted, at ``now`` (ms). */
    dukkangoClocks(now = Date.now()) {
        return this.dukkangoOrders.map((order) => acceptClock(dukkangoTimes(order), now));
    },
    /** Ring while orders wait to be accepted (not those for a later time, until it is time). */
    dukkangoRemind(now = Date.now()) {
        if (reminderInterval(this.dukkangoClocks(now)) !== null) {
            this.sound.play("bell");
        }
        this.dukkangoLastRing = now;
    },
    /** (Re)load this session's Dükkango orders from the server. */
    async dukkangoLoadOrders() {
        return await this.loadServerOrders([
            ["session_id", "=", this.session.id],
            ["dukkango_order_id", "!=", false],
        ]);
    },
    /** Read one order again after an action; offline, it is read when the till is back. */
    async dukkangoReload(order) {
        try {
            await this.loadServerOrders([["id", "=", order.id]]);
        } catch {
            return false;
        }
        return true;
    },
    /** Call one platform action of the server on ``order`` and show the platform's answer. */
    async dukkangoCall(order, method, args = []) {
        let done = true;
        try {
            await this.data.call("pos.order", method, [[order.id], ...args]);
        } catch (error) {
            this.dukkangoAlert(error);
            done = false;
        }
        await this.dukkangoReload(order);
        return done;
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
        if (accepted && this.dukkangoNoticeHeld(order)) {
            // an order for a later time: its kitchen ticket prints when it is time to prepare it,
            // claimed by one till (countdown_store.js dukkangoPrintDue)
            return accepted;
        }
        if (accepted && this.printers_category_ids_set?.size) {
            // the kitchen starts cooking once the order is accepted
            try {
                await this.sendOrderInPreparation(order);
            } catch (error) {
                this.dukkangoAlert(error, _t("Accepted on Dükkango, but the kitchen ticket was not printed"));
            }
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
            this.dukkangoAlert(error);
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
