import { patch } from "@web/core/utils/patch";
import { PosOrder } from "@point_of_sale/app/models/pos_order";
import { formatDateTime } from "@web/core/l10n/dates";
import { parseUTCString } from "@point_of_sale/utils";
import { DUKKANGO_SHIPPING_LABELS, DUKKANGO_STATUS_LABELS, isDukkangoOrder } from "./dukkango_status";

patch(PosOrder.prototype, {
    /** What receipts and kitchen tickets print of a Dükkango order (null for other orders). */
    getDukkangoInfo() {
        if (!isDukkangoOrder(this)) {
            return null;
        }
        return {
            number: this.dukkango_number,
            status: DUKKANGO_STATUS_LABELS[this.dukkango_status] || this.dukkango_status || "",
            shipping_method:
                DUKKANGO_SHIPPING_LABELS[this.dukkango_shipping_method] || this.dukkango_shipping_method || "",
            payment_method: this.dukkango_payment_method || "",
            customer_name: this.dukkango_customer_name || "",
            customer_phone: this.dukkango_customer_phone || "",
            address: this.dukkango_address || "",
            note: this.dukkango_note || "",
            scheduled: this.dukkango_scheduled_date
                ? formatDateTime(parseUTCString(this.dukkango_scheduled_date))
                : "",
            preparing_time: this.dukkango_preparing_time || 0,
        };
    },
    export_for_printing(baseUrl, headerData) {
        const result = super.export_for_printing(...arguments);
        result.dukkango = this.getDukkangoInfo();
        if (result.dukkango) {
            // the Dükkango block prints the customer's note; the general note repeats the whole order
            result.generalNote = "";
        }
        return result;
    },
});
