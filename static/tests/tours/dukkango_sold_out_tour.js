import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import * as ProductScreen from "@point_of_sale/../tests/tours/utils/product_screen_util";
import { negate } from "@point_of_sale/../tests/tours/utils/common";
import { registry } from "@web/core/registry";

/** "Sold out with an end" at the till: a manager sells a dish out, a cashier only sees it. */

function soldOutBadge() {
    return {
        content: "the popup says until when the dish is sold out",
        trigger: ".section-dukkango .dukkango-sold-out-until:contains('Sold out until')",
    };
}

registry.category("web_tour.tours").add("DukkangoSoldOutTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            ProductScreen.clickInfoProduct("Ayran"),
            {
                content: "the dish is on Dükkango",
                trigger: ".section-dukkango .dukkango-availability:contains('Available on Dükkango')",
            },
            {
                content: "the manager sells it out for 30 minutes",
                trigger: ".section-dukkango .dukkango-sold-out-30",
                run: "click",
            },
            soldOutBadge(),
            {
                content: "no more sold-out choices while it is off",
                trigger: negate(".section-dukkango .dukkango-sold-out-30"),
            },
            Dialog.cancel(),
            ProductScreen.clickInfoProduct("Ayran"),
            soldOutBadge(),
            {
                content: "the manager puts it back on sale by hand",
                trigger: ".section-dukkango .dukkango-toggle-availability:contains('Sell again on Dükkango')",
                run: "click",
            },
            {
                content: "Dükkango confirmed",
                trigger: ".section-dukkango .dukkango-availability:contains('Available on Dükkango')",
            },
            {
                content: "then sells it out until the next opening",
                trigger: ".section-dukkango .dukkango-sold-out-tomorrow",
                run: "click",
            },
            soldOutBadge(),
            Dialog.cancel(),
        ].flat(),
});

registry.category("web_tour.tours").add("DukkangoSoldOutCashierTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            ProductScreen.clickInfoProduct("Ayran"),
            soldOutBadge(),
            {
                content: "a cashier cannot change what is sold on Dükkango",
                trigger: `.section-dukkango:not(:has(.dukkango-sold-out-30, .dukkango-toggle-availability))`,
            },
            Dialog.cancel(),
        ].flat(),
});
