import { patch } from "@web/core/utils/patch";
import { useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { deserializeDateTime } from "@web/core/l10n/dates";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { ProductInfoPopup } from "@point_of_sale/app/screens/product_screen/product_info_popup/product_info_popup";

const { DateTime } = luxon;

/** "18:30" today, "Wed 08:00" on another day, in the till's local time. */
export function formatSoldOutUntil(serverDatetime) {
    if (!serverDatetime) {
        return "";
    }
    const until = deserializeDateTime(serverDatetime);
    const sameDay = until.hasSame(DateTime.local(), "day");
    return until.toFormat(sameDay ? "HH:mm" : "ccc HH:mm");
}

patch(ProductInfoPopup.prototype, {
    setup() {
        super.setup(...arguments);
        this.dukkango = useState({ ...(this.props.info.productInfo.dukkango || {}), busy: false });
    },
    get dukkangoCanToggle() {
        return this.pos.get_cashier()?._role === "manager";
    },
    get dukkangoSoldOutLabel() {
        return _t("Sold out until %s", formatSoldOutUntil(this.dukkango.sold_out_until));
    },
    /** Stop (or start again) selling the dish on Dükkango; the flag follows the platform's answer. */
    async dukkangoToggle() {
        const method = this.dukkango.available ? "action_set_unavailable" : "action_set_available";
        await this.dukkangoCall(method, {});
    },
    /** Sold out for ``minutes``, or until the next opening: back on sale by itself then. */
    async dukkangoSoldOut(minutes, untilTomorrow = false) {
        await this.dukkangoCall("action_sold_out", { minutes, until_tomorrow: untilTomorrow });
    },
    async dukkangoCall(method, kwargs) {
        this.dukkango.busy = true;
        try {
            await this.pos.data.call("dukkango.food", method, [[this.dukkango.id]], kwargs);
            const [food] = await this.pos.data.call("dukkango.food", "read", [
                [this.dukkango.id],
                ["available", "sold_out_until"],
            ]);
            Object.assign(this.dukkango, food);
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
