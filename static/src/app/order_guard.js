import { patch } from "@web/core/utils/patch";
import { _t } from "@web/core/l10n/translation";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { PosStore } from "@point_of_sale/app/store/pos_store";
import { ask } from "@point_of_sale/app/store/make_awaitable_dialog";
import { OrderSummary } from "@point_of_sale/app/screens/product_screen/order_summary/order_summary";
import { ControlButtons } from "@point_of_sale/app/screens/product_screen/control_buttons/control_buttons";
import { isDukkangoOrder } from "./dukkango_status";

/*
 * At the till a Dükkango order stays the platform's: no line is added, changed or removed,
 * no price, discount or tax changes (its total is Dükkango's), and it is not deleted: the
 * till offers to cancel it on Dükkango, with a reason, instead. The server refuses the same
 * (pos.order._process_order, action_pos_order_cancel).
 */

patch(PosStore.prototype, {
    dukkangoRefuseEdit(order) {
        this.dialog.add(AlertDialog, {
            title: _t("Dükkango order"),
            body: _t(
                "Dükkango #%s is the platform's order: its lines and prices cannot be changed at the till, its total is Dükkango's. Take the payment as it is, or cancel the order on Dükkango.",
                order.dukkango_number
            ),
        });
    },
    async addLineToOrder(vals, order, opts = {}, configure = true) {
        if (isDukkangoOrder(order)) {
            this.dukkangoRefuseEdit(order);
            return;
        }
        return await super.addLineToOrder(...arguments);
    },
    async onDeleteOrder(order) {
        if (!isDukkangoOrder(order)) {
            return await super.onDeleteOrder(...arguments);
        }
        const cancelled = await this.dukkangoOfferCancel(order);
        if (cancelled && order.state === "cancel" && this.get_order() === order) {
            this.afterOrderDeletion();
        }
        return cancelled;
    },
    /** Bulk deletions (e.g. the closing popup's "Cancel Orders") leave Dükkango's orders alone. */
    async deleteOrders(orders, serverIds = []) {
        const deletable = (order) => !isDukkangoOrder(order);
        return await super.deleteOrders(
            orders.filter(deletable),
            serverIds.filter((id) => deletable(this.models["pos.order"].get(id)))
        );
    },
    /** Instead of deleting a Dükkango order: cancel it on Dükkango, with a reason. */
    async dukkangoOfferCancel(order) {
        if (!order.dukkango_can_cancel) {
            this.dialog.add(AlertDialog, {
                title: _t("Dükkango order"),
                body: _t(
                    "Dükkango #%s cannot be deleted: it is the platform's order, and Dükkango no longer lets it be cancelled. Take its payment at the till.",
                    order.dukkango_number
                ),
            });
            return false;
        }
        const confirmed = await ask(this.dialog, {
            title: _t("Cancel on Dükkango?"),
            body: _t(
                "Dükkango #%s cannot be deleted at the till: it is the platform's order. Cancel it on Dükkango, with a reason, instead?",
                order.dukkango_number
            ),
            confirmLabel: _t("Cancel on Dükkango"),
            cancelLabel: _t("Keep the order"),
        });
        return confirmed ? await this.dukkangoCancel(order) : false;
    },
});

patch(OrderSummary.prototype, {
    async updateSelectedOrderline({ buffer, key }) {
        const order = this.pos.get_order();
        if (isDukkangoOrder(order)) {
            this.numberBuffer.reset();
            this.pos.dukkangoRefuseEdit(order);
            return;
        }
        return await super.updateSelectedOrderline(...arguments);
    },
});

patch(ControlButtons.prototype, {
    async clickFiscalPosition() {
        if (isDukkangoOrder(this.currentOrder)) {
            this.pos.dukkangoRefuseEdit(this.currentOrder);
            return;
        }
        return await super.clickFiscalPosition(...arguments);
    },
});
