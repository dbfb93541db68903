import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as NumberPopup from "@point_of_sale/../tests/tours/utils/number_popup_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";
import * as TicketScreen from "@point_of_sale/../tests/tours/utils/ticket_screen_util";
import {
    chooseCancelReason,
    clickPanelButton,
    closeRegister,
    dialogSays,
    noRow,
    row,
    rowStatusIs,
    selectDukkangoOrder,
} from "@pos_dukkango/../tests/tours/utils/dukkango_util";
import { registry } from "@web/core/registry";

/** The tours of a plain cashier (Point of Sale user, not manager): see tests/test_pos_ui.py. */

/** Accept the selected order (selecting it again would be a double click: it loads the order). */
function acceptIn(number, minutes) {
    return [
        clickPanelButton("accept"),
        NumberPopup.enterValue(minutes),
        NumberPopup.isShown(minutes),
        Dialog.confirm(),
        rowStatusIs(number, "Preparing"),
    ].flat();
}

function refusedChange() {
    return [dialogSays("its lines and prices cannot be changed at the till"), Dialog.confirm()];
}

registry.category("web_tour.tours").add("DukkangoCashierDayTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            {
                content: "the orders that waited come in with the session, without a reload",
                trigger: ".o_notification:contains('2 new Dükkango orders')",
            },
            ProductScreen.productIsDisplayed("Desk Pad"),
            {
                content: "the module's service products (fee, tip, discount...) are not in the grid",
                trigger: ".product-list:not(:has(.product-name:contains('Dükkango')))",
            },
            Chrome.clickMenuOption("Orders"),
            TicketScreen.selectFilter("Dükkango"),
            rowStatusIs(4002, "New"),
            rowStatusIs(4003, "New"),
            noRow(4001),
            selectDukkangoOrder(4002),
            {
                content: "the panel shows the customer",
                trigger: ".dukkango-order-panel:contains('Mehmet Kaya'):contains('+905559876543')",
            },
            acceptIn(4002, "25"),
            {
                content: "an accepted order can no longer be accepted",
                trigger: ".dukkango-order-panel:not(:has(button.dukkango-accept)):contains('Ready in 25 min')",
            },
            TicketScreen.loadSelectedOrder(),
            {
                content: "the order's lines, kitchen notes and fee line are loaded",
                trigger: ".order-container .orderline:contains('Adana Kebap'):contains('Acısız olsun')",
            },
            { trigger: ".order-container .orderline:contains('Dükkango Delivery Fee')" },
            ProductScreen.clickDisplayedProduct("Desk Pad"),
            refusedChange(),
            ProductScreen.clickLine("Adana Kebap"),
            ProductScreen.clickNumpad("5"),
            refusedChange(),
            {
                content: "the order kept its lines",
                trigger: ".order-container:not(:has(.orderline:contains('Desk Pad')))",
            },
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            {
                content: "the receipt prints the Dükkango fields",
                trigger:
                    ".pos-receipt .dukkango-receipt:contains('Dükkango #4002'):contains('Pickup'):contains('Nakit'):contains('Mehmet Kaya'):contains('+905559876543'):contains('Zil çalışmıyor')",
            },
            ReceiptScreen.clickNextOrder(),
            Chrome.clickMenuOption("Orders"),
            TicketScreen.selectFilter("Dükkango"),
            {
                content: "try to delete Dükkango #4003",
                trigger: `${row(4003)} .delete-button`,
                run: "click",
            },
            dialogSays("cannot be deleted at the till"),
            Dialog.confirm("Cancel on Dükkango"),
            chooseCancelReason(),
            rowStatusIs(4003, "Cancelled"),
            rowStatusIs(4002, "Preparing"),
            Chrome.clickMenuOption("Close Register"),
            {
                content: "nothing blocks the closing",
                trigger: ".close-pos-popup:not(:has(.dukkango-unpaid))",
            },
            closeRegister(),
        ].flat(),
});

registry.category("web_tour.tours").add("DukkangoClosingTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Chrome.clickMenuOption("Close Register"),
            {
                content: "the closing popup lists the unpaid Dükkango order",
                trigger: ".close-pos-popup .dukkango-unpaid .dukkango-unpaid-order:contains('#5001'):contains('Elif Şahin')",
            },
            {
                content: "count the expected cash",
                trigger: ".close-pos-popup button.fa-clone",
                run: "click",
            },
            Dialog.confirm("Close Register"),
            dialogSays("Dükkango #5001: Elif Şahin"),
            Dialog.confirm("Review Dükkango orders"),
            rowStatusIs(5001, "New"),
            selectDukkangoOrder(5001),
            acceptIn(5001, "15"),
            clickPanelButton("on-the-way"),
            rowStatusIs(5001, "In delivery"),
            clickPanelButton("complete"),
            rowStatusIs(5001, "Delivered"),
            Chrome.clickMenuOption("Close Register"),
            {
                content: "delivered on Dükkango, the order was paid in cash: nothing blocks the closing",
                trigger: ".close-pos-popup:not(:has(.dukkango-unpaid))",
            },
            closeRegister(),
        ].flat(),
});

function setOnline(online) {
    return {
        content: online ? "the till is back online" : "the till goes offline",
        trigger: ".pos .pos-content",
        run: () => window.dispatchEvent(new Event(online ? "online" : "offline")),
    };
}

registry.category("web_tour.tours").add("DukkangoOfflineTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Chrome.clickMenuOption("Orders"),
            TicketScreen.selectFilter("Dükkango"),
            rowStatusIs(6001, "New"),
            setOnline(false),
            selectDukkangoOrder(6001),
            clickPanelButton("accept"),
            NumberPopup.enterValue("25"),
            Dialog.confirm(),
            dialogSays("The till is offline: nothing was sent to Dükkango"),
            Dialog.confirm(),
            rowStatusIs(6001, "New"),
            {
                content: "offline, the timers' calls and a bus message fail quietly",
                trigger: ".ticket-screen",
                run: async () => {
                    posmodel.dukkangoRemind();
                    const order = posmodel.dukkangoOrders.find((o) => o.dukkango_number === 6001);
                    if (await posmodel.dukkangoRefreshStore()) {
                        throw new Error("the store status was read while offline");
                    }
                    await posmodel.dukkangoOnOrders({ pos_order_ids: [order.id] });
                    // meanwhile another till accepts the order
                    await posmodel.data.orm.call("pos.order", "action_dukkango_accept", [[order.id], 30]);
                },
            },
            TicketScreen.selectFilter("Dükkango"),
            rowStatusIs(6001, "New"),
            setOnline(true),
            {
                ...rowStatusIs(6001, "Preparing"),
                content: "back online, the till reads what changed meanwhile",
            },
        ].flat(),
});

registry.category("web_tour.tours").add("DukkangoAttentionTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            {
                content: "the till says an order of this restaurant's account reached no till",
                trigger: ".pos-topheader .dukkango-attention[title='1 Dükkango order needs attention']:contains('1')",
                run: "click",
            },
            dialogSays("Needs attention"),
            Dialog.confirm(),
        ].flat(),
});
