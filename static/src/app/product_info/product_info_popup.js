import { patch } from "@web/core/utils/patch";
import { useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { ProductInfoPopup } from "@point_of_sale/app/screens/product_screen/product_info_popup/product_info_popup";

patch(ProductInfoPopup.prototype, {
    setup() {
        super.setup(...arguments);
        this.dukkango = useState({ ...(this.props.info.productInfo.dukkango || {}), busy: false });
    },
    get dukkangoCanToggle() {
        return this.pos.get_cashier()?._role === "manager";
    },
    /** Stop (or start again) selling the dish on Dükkango; the flag follows the platform's answer. */
    async dukkangoToggle() {
        const method = this.dukkango.available ? "action_set_unavailable" : "action_set_available";
        this.dukkango.busy = true;
        try {
            await this.pos.data.call("dukkango.food", method, [[this.dukkango.id]]);
            this.dukkango.available = !this.dukkango.available;
        } catch (error) {
            this.pos.dialog.add(AlertDialog, {
                title: _t("Dükkango"),
                body: error?.data?.message || error?.message || String(error),
            });
        } finally {
            this.dukkango.busy = false;
        }
    },
});
