import { _t } from "@web/core/l10n/translation";

/** Labels of pos.order.dukkango_status, as the staff read them. */
export const DUKKANGO_STATUS_LABELS = {
    received: _t("New"),
    confirmed: _t("Preparing"),
    in_delivery: _t("In delivery"),
    delivered: _t("Delivered"),
    cancelled: _t("Cancelled"),
    other: _t("Other"),
};

/** Labels of the platform's shipping methods (other values are shown as they come). */
export const DUKKANGO_SHIPPING_LABELS = {
    delivery: _t("Delivery"),
    pickup: _t("Pickup"),
};

/** Ticket screen filters: key -> statuses it shows. */
export const DUKKANGO_FILTERS = [
    ["DUKKANGO_NEW", _t("New"), ["received"]],
    ["DUKKANGO_PREPARING", _t("Preparing"), ["confirmed"]],
    ["DUKKANGO_IN_DELIVERY", _t("In delivery"), ["in_delivery"]],
    ["DUKKANGO_DONE", _t("Done"), ["delivered", "cancelled"]],
];

export const DUKKANGO_BADGE_CLASSES = {
    received: "text-bg-danger",
    confirmed: "text-bg-warning",
    in_delivery: "text-bg-info",
    delivered: "text-bg-success",
    cancelled: "text-bg-secondary",
    other: "text-bg-light",
};

export function isDukkangoOrder(order) {
    return Boolean(order?.raw?.dukkango_order_id);
}
