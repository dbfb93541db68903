import { reactive } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";

/*
 * The acceptance countdown of a Dükkango order, as small pure functions of times in
 * milliseconds (the server's UTC dates against the browser's clock), and the one shared
 * clock the till's countdowns read.
 *
 * An order's acceptance clock starts when it was placed on Dükkango (its ``date``), or, for
 * a scheduled order, when the kitchen must start (scheduled time minus the preparation
 * time); the server computes the deadline (dukkango.order.accept_deadline) from there and
 * the point of sale's minutes.
 */

/** The last stretch before the deadline, when the till rings more often (ms). */
export const DUKKANGO_URGENT_MS = 2 * 60 * 1000;
/** How often the till rings while an order waits to be accepted (ms). */
export const DUKKANGO_REMINDER_INTERVAL = 30000;
/** How often it rings in the last two minutes and once overdue (ms). */
export const DUKKANGO_URGENT_REMINDER_INTERVAL = 10000;

/** How long past its deadline an order still rings (ms): Dükkango lists an acknowledged order
 * again only when its status changes, so an order it cancelled or dropped unseen may stay
 * "received" here; after this it is still shown (banner, notice), but no longer rings. */
export const DUKKANGO_SILENT_AFTER_MS = 15 * 60 * 1000;

/** The one clock of the countdowns: the store moves it every second, components read it. */
export const dukkangoClock = reactive({ now: Date.now() });

/** Milliseconds since the epoch of an Odoo UTC datetime string, or null. */
export function utcMillis(value) {
    if (!value) {
        return null;
    }
    const date = deserializeDateTime(value);
    return date.isValid ? date.toMillis() : null;
}

/** The times the countdown needs of a pos.order of the till (ms, or null). */
export function dukkangoTimes(order) {
    return {
        status: order.dukkango_status,
        placed: utcMillis(order.dukkango_date_order),
        deadline: utcMillis(order.dukkango_accept_deadline),
        prepareAt: utcMillis(order.dukkango_prepare_at),
    };
}

/**
 * Where an order stands at ``now``: null when it waits for no acceptance, else
 * ``{phase, elapsed, left}`` with phase "scheduled" (not to prepare yet: no reminder),
 * "waiting", "urgent" (the last two minutes) or "overdue"; ``left`` is negative once overdue.
 */
export function acceptClock({ status, placed, deadline, prepareAt }, now) {
    if (status !== "received" || deadline === null) {
        return null;
    }
    const elapsed = placed === null ? null : Math.max(0, now - placed);
    const left = deadline - now;
    let phase = "waiting";
    if (prepareAt !== null && now < prepareAt) {
        phase = "scheduled";
    } else if (left < 0) {
        phase = "overdue";
    } else if (left <= DUKKANGO_URGENT_MS) {
        phase = "urgent";
    }
    return { phase, elapsed, left };
}

/** How often to ring for these clocks (ms), or null when none asks for a reminder. */
export function reminderInterval(clocks) {
    const ringing = clocks.filter((clock) => clock && !(clock.left < -DUKKANGO_SILENT_AFTER_MS));
    const phases = new Set(ringing.map((clock) => clock.phase));
    if (phases.has("urgent") || phases.has("overdue")) {
        return DUKKANGO_URGENT_REMINDER_INTERVAL;
    }
    return phases.has("waiting") ? DUKKANGO_REMINDER_INTERVAL : null;
}

/** Whether to ring at ``now``, the last ring being at ``lastRing`` (ms, or null). */
export function reminderDue(clocks, lastRing, now) {
    const interval = reminderInterval(clocks);
    return interval !== null && (lastRing === null || now - lastRing >= interval);
}

/** A duration as the till shows it: "m:ss", or "h:mm:ss" from an hour (absolute value). */
export function formatDuration(ms) {
    const total = Math.floor(Math.abs(ms) / 1000);
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const seconds = String(total % 60).padStart(2, "0");
    return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

/** Local date and time of an Odoo UTC datetime string, as the user reads it. */
export function formatUtc(value) {
    return value ? formatDateTime(deserializeDateTime(value)) : "";
}

/** The countdown's text: time since the order was placed and time left to accept it. */
export function countdownText(clock, order) {
    if (!clock) {
        return "";
    }
    if (clock.phase === "scheduled") {
        return _t("Scheduled: prepare from %s", formatUtc(order.dukkango_prepare_at));
    }
    const elapsed = clock.elapsed === null ? "" : formatDuration(clock.elapsed);
    if (clock.phase === "overdue") {
        return _t("Placed %(elapsed)s ago · overdue by %(late)s", {
            elapsed,
            late: formatDuration(clock.left),
        });
    }
    return _t("Placed %(elapsed)s ago · %(left)s left to accept", {
        elapsed,
        left: formatDuration(clock.left),
    });
}

/** Whether an order is for a later time (its scheduled time is still ahead). */
export function isScheduledLater(order, now) {
    const scheduled = utcMillis(order.dukkango_scheduled_date);
    return scheduled !== null && scheduled > now;
}
