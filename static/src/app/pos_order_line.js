import { patch } from "@web/core/utils/patch";
import { PosOrderline } from "@point_of_sale/app/models/pos_order_line";
import { isDukkangoOrder } from "./dukkango_status";

patch(PosOrderline.prototype, {
    set_full_product_name() {
        // a Dükkango line keeps the dish name the customer ordered, which a generic
        // "Dükkango Item" product carries only on its line
        const name = this.raw?.full_product_name;
        const order = this.order_id || this.models?.["pos.order"]?.get(this.raw?.order_id);
        if (name && isDukkangoOrder(order)) {
            this.full_product_name = name;
            return;
        }
        return super.set_full_product_name(...arguments);
    },
});
