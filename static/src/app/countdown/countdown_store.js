import { patch } from "@web/core/utils/patch";
import { _t } from "@web/core/l10n/translation";
import { PosStore } from "@point_of_sale/app/store/pos_store";
import "../pos_store";
import { acceptClock, dukkangoClock, dukkangoTimes, formatUtc, reminderDue, utcMillis } from "./countdown_clock";

/*
 * The till's clock for Dükkango orders (every second, see DUKKANGO_TICK_INTERVAL): move the
 * countdowns, ring (every 30 s while an order waits, every 10 s in its last two minutes and
 * once overdue), keep a notice up while an order is overdue, and print the kitchen ticket of
 * an order for a later time when it is time to prepare it.
 *
 * Those kitchen tickets are derived from the server's data at each tick: the accepted orders
 * of the session whose time to prepare came and that no till sent to the kitchen yet. Each is
 * claimed on the server (pos.order.dukkango_claim_kitchen) before it prints: one till, one
 * ticket, whoever accepted it (a till, the backend, the automatic acceptance) and whenever.
 */

/** How long the till waits before asking again after a failed claim (ms). */
export const DUKKANGO_CLAIM_RETRY_MS = 30000;

patch(PosStore.prototype, {
    dukkangoTick(now = Date.now()) {
        dukkangoClock.now = now;
        if (reminderDue(this.dukkangoClocks(now), this.dukkangoLastRing ?? null, now)) {
            this.dukkangoRemind(now);
        }
        this.dukkangoNoticeOverdue(now);
        this.dukkangoPrintDue(now);
    },
    /** The orders waiting past their acceptance deadline at ``now`` (ms). */
    dukkangoOverdueOrders(now = Date.now()) {
        return this.dukkangoOrders.filter(
            (order) => acceptClock(dukkangoTimes(order), now)?.phase === "overdue"
        );
    },
    /** While an order waits past its deadline a notice stays up (on every screen), until the
     * order is accepted or cancelled, or the staff close it. */
    dukkangoNoticeOverdue(now) {
        this.dukkangoOverdueNotices ||= new Map();
        const overdue = new Set(this.dukkangoOverdueOrders(now).map((order) => order.id));
        for (const [id, close] of this.dukkangoOverdueNotices) {
            if (!overdue.has(id) && close) {
                close();
                this.dukkangoOverdueNotices.set(id, null); // answered: never shown again
            }
        }
        for (const id of overdue) {
            if (!this.dukkangoOverdueNotices.has(id)) {
                const order = this.models["pos.order"].get(id);
                const text = _t(
                    "Dükkango #%s waits past its acceptance deadline: accept or cancel it now.",
                    order.dukkango_number
                );
                const close = this.notification.add(text, { type: "danger", title: _t("Dükkango"), sticky: true });
                this.dukkangoOverdueNotices.set(id, close);
            }
        }
    },
    // ------------------------------------------------------------------ kitchen tickets of scheduled orders
    /** The accepted orders for a later time whose kitchen ticket is due at ``now`` and not sent. */
    dukkangoKitchenDue(now = Date.now()) {
        this.dukkangoKitchenDone ||= new Set();
        return this.dukkangoOrders.filter((order) => {
            const prepareAt = utcMillis(order.dukkango_prepare_at);
            return (
                order.session_id?.id === this.session.id &&
                ["confirmed", "in_delivery"].includes(order.dukkango_status) &&
                prepareAt !== null &&
                prepareAt <= now &&
                !order.dukkango_kitchen_sent_at &&
                !this.dukkangoKitchenDone.has(order.id)
            );
        });
    },
    /** Claim, then print, the kitchen tickets due; those another till claimed are left to it. */
    async dukkangoPrintDue(now) {
        if (!this.printers_category_ids_set?.size || this.dukkangoPrinting || now < (this.dukkangoClaimRetryAt || 0)) {
            return;
        }
        const due = this.dukkangoKitchenDue(now);
        if (!due.length) {
            return;
        }
        this.dukkangoPrinting = true;
        try {
            let claimed;
            try {
                claimed = await this.data.call("pos.order", "dukkango_claim_kitchen", [
                    due.map((order) => order.id),
                    this.session.id,
                ]);
            } catch {
                // offline or refused: ask again a little later (nothing was claimed)
                this.dukkangoClaimRetryAt = now + DUKKANGO_CLAIM_RETRY_MS;
                return;
            }
            for (const order of due) {
                this.dukkangoKitchenDone.add(order.id);
                if (claimed.includes(order.id)) {
                    await this.dukkangoPrintKitchen(order);
                }
            }
        } finally {
            this.dukkangoPrinting = false;
        }
    },
    async dukkangoPrintKitchen(order) {
        try {
            await this.sendOrderInPreparation(order);
        } catch (error) {
            this.dukkangoAlert(error, _t("The kitchen ticket of Dükkango #%s was not printed", order.dukkango_number));
        }
    },
    /** Tell when the kitchen ticket of an accepted order for a later time prints; true for such an order. */
    dukkangoNoticeHeld(order, now = Date.now()) {
        const prepareAt = utcMillis(order.dukkango_prepare_at);
        if (prepareAt === null) {
            return false;
        }
        if (prepareAt > now && this.printers_category_ids_set?.size) {
            this.notification.add(
                _t("The kitchen ticket of Dükkango #%(number)s prints at %(time)s.", {
                    number: order.dukkango_number,
                    time: formatUtc(order.dukkango_prepare_at),
                }),
                { type: "info", title: _t("Dükkango") }
            );
        }
        return true;
    },
    /** Orders accepted automatically for a later time: their kitchen ticket waits too. */
    dukkangoNoticeFresh(fresh) {
        super.dukkangoNoticeFresh(...arguments);
        for (const order of fresh.filter((o) => o.dukkango_status === "confirmed")) {
            this.dukkangoNoticeHeld(order);
        }
    },
});
