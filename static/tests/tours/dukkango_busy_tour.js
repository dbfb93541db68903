import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as Dialog from "@point_of_sale/../tests/tours/utils/dialog_util";
import { negate } from "@point_of_sale/../tests/tours/utils/common";
import { registry } from "@web/core/registry";

/** Busy mode at the till (tests/test_busy.py): a manager pauses and resumes, a cashier only sees. */

registry.category("web_tour.tours").add("DukkangoBusyManagerTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            {
                // the tour's 1366 px wide screen shows how long ago, its tooltip the words
                content: "the top bar says when the last poll succeeded",
                trigger: ".pos-topheader .dukkango-last-poll[title^='Last poll']",
            },
            {
                content: "the manager pauses Dükkango orders",
                trigger: ".pos-topheader .dukkango-pause",
                run: "click",
            },
            {
                content: "for 15 minutes",
                trigger: ".modal .selection-item:contains('15 minutes')",
                run: "click",
            },
            {
                content: "the top bar shows the time left; its tooltip, the pause and the last poll",
                trigger: ".pos-topheader .dukkango-paused[title^='Paused · 15 min left · Last poll']:contains('15 min')",
            },
            {
                content: "the last poll and the restaurant's state give way to the pause (the top bar stays on one line)",
                trigger: negate(".pos-topheader .dukkango-last-poll, .pos-topheader .dukkango-store-status"),
            },
            {
                content: "and resumes now",
                trigger: ".pos-topheader .dukkango-resume",
                run: "click",
            },
            Dialog.confirm(),
            {
                content: "the pause is over",
                trigger: ".pos-topheader .dukkango-pause",
            },
            {
                content: "no time left is shown",
                trigger: negate(".pos-topheader .dukkango-paused"),
            },
        ].flat(),
});

registry.category("web_tour.tours").add("DukkangoBusyCashierTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            {
                content: "a cashier sees the pause a manager started",
                trigger: ".pos-topheader .dukkango-paused[title^='Paused']:contains('min')",
            },
            {
                content: "but cannot resume it",
                trigger: negate(".pos-topheader .dukkango-resume"),
            },
            {
                content: "nor pause",
                trigger: negate(".pos-topheader .dukkango-pause"),
            },
        ].flat(),
});

registry.category("web_tour.tours").add("DukkangoWatchdogCashierTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Dialog.confirm("Open Register"),
            {
                content: "the top bar rings: no poll succeeded, none yet",
                trigger: ".pos-topheader .dukkango-poll-alarm[title='No successful poll yet']:contains('–')",
                run: "click",
            },
            {
                content: "it says what to do, with no time counted from nothing",
                trigger: ".modal:contains('No poll of Dükkango has succeeded yet'):contains('take orders by phone')",
            },
            Dialog.confirm(),
        ].flat(),
});
