import { patch } from "@web/core/utils/patch";
import { _t } from "@web/core/l10n/translation";
import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { ClosePosPopup } from "@point_of_sale/app/navbar/closing_popup/closing_popup";
import { PosStore } from "@point_of_sale/app/store/pos_store";

/*
 * Closing the register never cancels a Dükkango cash order silently (Odoo's closing popup
 * offers to cancel every draft order): the popup lists the unpaid ones and says what to do,
 * and the server refuses to close while there are some (pos.session).
 */

patch(PosStore.prototype, {
    /** ``{orders, message}``: the session's unpaid Dükkango orders; null when the server is unreachable. */
    async dukkangoUnpaidOrders() {
        if (!this.config.raw.dukkango_account_id) {
            return { orders: [], message: "" };
        }
        try {
            return await this.data.call("pos.session", "dukkango_unpaid_orders_ui", [this.session.id]);
        } catch {
            return null;
        }
    },
});

patch(ClosePosPopup, {
    props: [...ClosePosPopup.props, "dukkango_unpaid?"],
});

patch(ClosePosPopup.prototype, {
    get dukkangoUnpaid() {
        return this.props.dukkango_unpaid?.orders || [];
    },
    async confirm() {
        // asked again: an order may have been paid, or imported, since the popup opened
        const unpaid = await this.pos.dukkangoUnpaidOrders();
        if (unpaid?.orders.length) {
            this.dukkangoBlock(unpaid.message);
            return;
        }
        return await super.confirm(...arguments);
    },
    async handleClosingError(response) {
        if (response?.dukkango_order_ids) {
            this.dukkangoBlock(response.message);
            return;
        }
        return await super.handleClosingError(...arguments);
    },
    dukkangoBlock(message) {
        this.dialog.add(ConfirmationDialog, {
            title: _t("Unpaid Dükkango orders"),
            body: message,
            confirmLabel: _t("Review Dükkango orders"),
            confirm: () => this.dukkangoReview(),
            cancelLabel: _t("Back"),
            cancel: () => {},
        });
    },
    /** Close the popup and show the session's Dükkango orders. */
    dukkangoReview() {
        this.props.close();
        this.pos.showScreen("TicketScreen", { stateOverride: { filter: "DUKKANGO" } });
    },
});
