import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as NumberPopup from "@point_of_sale/../tests/tours/utils/number_popup_util";
import * as PaymentScreen from "@point_of_sale/../tests/tours/utils/payment_screen_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import * as ReceiptScreen from "@point_of_sale/../tests/tours/utils/receipt_screen_util";
import * as TicketScreen from "@point_of_sale/../tests/tours/utils/ticket_screen_util";
import { registry } from "@web/core/registry";

/** Run the Dükkango poll now, as the scheduled action does (the open POS is not reloaded). */
function fetchDukkangoOrders() {
    return {
        content: "the server fetches Dükkango orders",
        trigger: ".pos .pos-content",
        run: async () => {
            const accountId = posmodel.config.raw.dukkango_account_id;
            await posmodel.data.call("dukkango.account", "action_fetch_orders", [[accountId]]);
        },
    };
}

function row(number) {
    return `.ticket-screen .order-row:has(.dukkango-number:contains("#${number}"))`;
}

function rowStatusIs(number, status) {
    return {
        content: `Dükkango order #${number} shows ${status}`,
        trigger: `${row(number)} .dukkango-status:contains("${status}")`,
    };
}

function selectDukkangoOrder(number) {
    return {
        content: `select Dükkango order #${number}`,
        trigger: `${row(number)} .dukkango-number`,
        run: "click",
    };
}

function clickPanelButton(name) {
    return {
        content: `click ${name} in the Dükkango panel`,
        trigger: `.dukkango-order-panel .dukkango-actions button.dukkango-${name}`,
        run: "click",
    };
}

registry.category("web_tour.tours").add("DukkangoLiveOrdersTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            fetchDukkangoOrders(),
            {
                content: "the new orders are announced without a reload",
                trigger: ".o_notification:contains('2 new Dükkango orders')",
            },
            Chrome.clickMenuOption("Orders"),
            TicketScreen.selectFilter("New"),
            rowStatusIs(2001, "New"),
            rowStatusIs(2002, "New"),
            selectDukkangoOrder(2001),
            {
                content: "the panel shows the customer",
                trigger: ".dukkango-order-panel:contains('Ayşe Yılmaz'):contains('+905321234567')",
            },
            clickPanelButton("accept"),
            NumberPopup.enterValue("25"),
            NumberPopup.isShown("25"),
            Dialog.confirm(),
            TicketScreen.selectFilter("Preparing"),
            rowStatusIs(2001, "Preparing"),
            selectDukkangoOrder(2001),
            {
                content: "an accepted order can no longer be accepted",
                trigger: ".dukkango-order-panel:not(:has(button.dukkango-accept)):contains('Ready in 25 min')",
            },
            TicketScreen.selectFilter("New"),
            selectDukkangoOrder(2002),
            clickPanelButton("cancel"),
            {
                content: "choose the reason",
                trigger: ".selection-item:contains('Müşteri iptal etti')",
                run: "click",
            },
            TicketScreen.selectFilter("Done"),
            rowStatusIs(2002, "Cancelled"),
        ].flat(),
});

registry.category("web_tour.tours").add("DukkangoCashOrderTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Chrome.clickMenuOption("Orders"),
            TicketScreen.selectFilter("Dükkango"),
            rowStatusIs(3001, "New"),
            selectDukkangoOrder(3001),
            TicketScreen.loadSelectedOrder(),
            {
                content: "the order's lines and kitchen notes are loaded",
                trigger: ".order-container .orderline:contains('Adana Kebap'):contains('Acısız olsun')",
            },
            ProductScreen.clickPayButton(),
            PaymentScreen.clickPaymentMethod("Cash"),
            PaymentScreen.clickValidate(),
            ReceiptScreen.isShown(),
            {
                content: "the receipt prints the Dükkango fields",
                trigger:
                    ".pos-receipt .dukkango-receipt:contains('Dükkango #3001'):contains('Pickup'):contains('Nakit'):contains('Mehmet Kaya'):contains('+905559876543'):contains('Zil çalışmıyor')",
            },
        ].flat(),
});

registry.category("web_tour.tours").add("DukkangoStoreStatusTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            {
                content: "the navbar shows the restaurant open on Dükkango",
                trigger: ".pos-topheader .dukkango-store-status:contains('open')",
                run: "click",
            },
            Dialog.confirm(),
            {
                content: "the platform closed it",
                trigger: ".pos-topheader .dukkango-store-status:contains('closed')",
            },
        ].flat(),
});

registry.category("web_tour.tours").add("DukkangoAvailabilityTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickInfoProduct("Ayran"),
            {
                content: "the product information says the dish is on Dükkango",
                trigger: ".section-dukkango .dukkango-availability:contains('Available on Dükkango')",
            },
            {
                content: "the manager stops selling it on Dükkango",
                trigger: ".section-dukkango .dukkango-toggle-availability",
                run: "click",
            },
            {
                content: "Dükkango confirmed",
                trigger: ".section-dukkango .dukkango-availability:contains('Not available on Dükkango')",
            },
        ].flat(),
});
