import * as Chrome from "@point_of_sale/../tests/tours/utils/chrome_util";
import * as TicketScreen from "@point_of_sale/../tests/tours/utils/ticket_screen_util";
import { noRow, row, selectDukkangoOrder } from "@pos_dukkango/../tests/tours/utils/dukkango_util";
import { registry } from "@web/core/registry";
import {
    DUKKANGO_REMINDER_INTERVAL,
    DUKKANGO_URGENT_REMINDER_INTERVAL,
    acceptClock,
    reminderDue,
    reminderInterval,
} from "@pos_dukkango/app/countdown/countdown_clock";

/** The acceptance countdown, as a plain cashier sees it: see tests/test_countdown.py. */

const WAITING = /^Placed \d+:\d{2} ago · \d+:\d{2} left to accept$/;
const OVERDUE = /^Placed \d+:\d{2} ago · overdue by \d+:\d{2}$/;

/** The reminder's rhythm, from the clocks of made-up orders (minutes from a fixed moment). */
function checkEscalation() {
    const min = 60000;
    const order = (placed, deadline, prepareAt = null) => ({
        status: "received",
        placed: placed * min,
        deadline: deadline * min,
        prepareAt: prepareAt === null ? null : prepareAt * min,
    });
    const now = 100 * min;
    const expect = (what, value, expected) => {
        if (value !== expected) {
            throw new Error(`${what}: ${value}, expected ${expected}`);
        }
    };
    const waiting = acceptClock(order(97, 105), now);
    const urgent = acceptClock(order(93, 101.5), now);
    const overdue = acceptClock(order(80, 88), now);
    const later = acceptClock(order(99, 168, 160), now);
    expect("3 min ago, 5 min left", waiting.phase, "waiting");
    expect("1.5 min left", urgent.phase, "urgent");
    expect("12 min late", overdue.phase, "overdue");
    expect("to prepare in an hour", later.phase, "scheduled");
    expect("accepted", acceptClock({ ...order(97, 105), status: "confirmed" }, now), null);
    expect("rhythm while waiting", reminderInterval([waiting, later, null]), DUKKANGO_REMINDER_INTERVAL);
    expect("rhythm in the last two minutes", reminderInterval([waiting, urgent]), DUKKANGO_URGENT_REMINDER_INTERVAL);
    expect("rhythm once overdue", reminderInterval([overdue]), DUKKANGO_URGENT_REMINDER_INTERVAL);
    expect("no ring for an order to prepare later", reminderInterval([later, null]), null);
    // overdue for more than 15 min (Dükkango may have dropped it unseen): shown, no longer rung
    const forgotten = acceptClock(order(60, 68), now);
    expect("32 min late", forgotten.phase, "overdue");
    expect("no ring once overdue for long", reminderInterval([forgotten, later]), null);
    expect("the others still ring", reminderInterval([forgotten, waiting]), DUKKANGO_REMINDER_INTERVAL);
    expect("rang 5 s ago, overdue", reminderDue([overdue], now - 5000, now), false);
    expect("rang 10 s ago, overdue", reminderDue([overdue], now - 10000, now), true);
    expect("rang 10 s ago, waiting", reminderDue([waiting], now - 10000, now), false);
    expect("rang 30 s ago, waiting", reminderDue([waiting], now - 30000, now), true);
    // the till's own orders: #8002 is overdue, so it rings every 10 s
    expect("the till's rhythm", reminderInterval(posmodel.dukkangoClocks()), DUKKANGO_URGENT_REMINDER_INTERVAL);
}

/** #8004, accepted on Dükkango for a later time whose time to prepare came: its kitchen ticket is
 * due, and the server lets one till claim it, once (this till has no kitchen printer: it claims
 * nothing itself). */
async function checkKitchenClaim() {
    const order = posmodel.dukkangoOrders.find((o) => o.dukkango_number === 8004);
    const due = posmodel.dukkangoKitchenDue().map((o) => o.dukkango_number);
    if (!order || due.join() !== "8004") {
        throw new Error(`the kitchen tickets due are ${due.join() || "none"}, expected #8004`);
    }
    const claim = () =>
        posmodel.data.call("pos.order", "dukkango_claim_kitchen", [[order.id], posmodel.session.id]);
    const first = await claim();
    const second = await claim();
    if (first.join() !== String(order.id) || second.length) {
        throw new Error(`claims answered ${JSON.stringify([first, second])}: expected the order once`);
    }
}

/** The countdown in ``scope`` is in ``phase`` and its text has the expected format (not exact seconds). */
function countdownIs(scope, phase, pattern) {
    return {
        content: `${scope}: the countdown is ${phase}`,
        trigger: `${scope} .dukkango-countdown[data-phase='${phase}']`,
        run: function () {
            const text = this.anchor.textContent.trim();
            if (!pattern.test(text)) {
                throw new Error(`the countdown reads "${text}", not ${pattern}`);
            }
        },
    };
}

registry.category("web_tour.tours").add("DukkangoCountdownTour", {
    steps: () =>
        [
            Chrome.startPoS(),
            Chrome.clickMenuOption("Orders"),
            TicketScreen.selectFilter("Dükkango"),
            countdownIs(row(8001), "waiting", WAITING),
            countdownIs(row(8002), "overdue", OVERDUE),
            {
                content: "a banner names the order waiting past its deadline, and only it",
                trigger: ".ticket-screen .dukkango-overdue-banner:contains('#8002'):not(:contains('#8001'))",
            },
            {
                content: "the order for later is not counted down yet: it waits for its time to prepare",
                trigger: `${row(8003)} .dukkango-countdown[data-phase='scheduled']:contains('prepare from')`,
            },
            {
                content: "the reminder rings every 30 s, every 10 s in the last two minutes and once overdue",
                trigger: ".ticket-screen",
                run: checkEscalation,
            },
            {
                content: "the kitchen ticket of an accepted order whose time to prepare came is claimed once",
                trigger: ".ticket-screen",
                run: checkKitchenClaim,
            },
            selectDukkangoOrder(8001),
            countdownIs(".dukkango-order-panel", "waiting", WAITING),
            selectDukkangoOrder(8002),
            countdownIs(".dukkango-order-panel", "overdue", OVERDUE),
            {
                content: "the countdown moves with the clock",
                trigger: ".dukkango-order-panel .dukkango-countdown",
                run: async function () {
                    const before = this.anchor.textContent;
                    await new Promise((resolve) => setTimeout(resolve, 2100));
                    const after = document.querySelector(".dukkango-order-panel .dukkango-countdown");
                    if (after.textContent === before) {
                        throw new Error(`the countdown stayed at "${before}"`);
                    }
                },
            },
            TicketScreen.selectFilter("Scheduled"),
            {
                content: "the Scheduled filter lists the order for later, with its due time",
                trigger: `${row(8003)} .dukkango-due:contains('Due')`,
            },
            noRow(8001),
            noRow(8002),
        ].flat(),
});
