import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import { registry } from "@web/core/registry";

/** The tours of a Point of Sale manager; a cashier's are in dukkango_cashier_tour.js. */

registry.category("web_tour.tours").add("DukkangoStoreStatusTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            {
                // the tour's 1366 px wide screen shows the green dot, its tooltip the words
                content: "the navbar shows the restaurant open on Dükkango",
                trigger: ".pos-topheader .dukkango-store-status[title^='Open on Dükkango'] .fa-circle.text-success",
                run: "click",
            },
            Dialog.confirm(),
            {
                content: "the platform closed it",
                trigger: ".pos-topheader .dukkango-store-status[title^='Closed on Dükkango'] .fa-circle.text-danger",
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
