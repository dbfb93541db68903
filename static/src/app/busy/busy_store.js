import { patch } from "@web/core/utils/patch";
import { PosStore } from "@point_of_sale/app/store/pos_store";
import { _t } from "@web/core/l10n/translation";
import { AlertDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { ask, makeAwaitable } from "@point_of_sale/app/store/make_awaitable_dialog";
import { SelectionPopup } from "@point_of_sale/app/utils/input_popups/selection_popup";
// the module's own PosStore patch first: this one extends its timers
import "@pos_dukkango/app/pos_store";

/** How often the till reads the pause and the last successful poll from the server (ms). */
export const DUKKANGO_BUSY_INTERVAL = 60 * 1000;
/** How often the top bar's "N s ago" moves on (ms): no request, only the clock. */
export const DUKKANGO_BUSY_TICK = 10 * 1000;
/** The lengths of a pause a manager chooses from (minutes), as on the server. */
export const DUKKANGO_PAUSE_MINUTES = [15, 30, 60];

/** A server datetime ("2026-12-01 12:00:00", UTC) in ms, or null. */
export function serverTime(value) {
    return value ? Date.parse(value.replace(" ", "T") + "Z") : null;
}

/** "40 s", "5 min", "2 h 5 min": a duration in ms as the staff read it. */
export function durationText(ms) {
    const seconds = Math.max(0, Math.round(ms / 1000));
    if (seconds < 60) {
        return _t("%s s", seconds);
    }
    const minutes = Math.round(seconds / 60);
    if (minutes < 60) {
        return _t("%s min", minutes);
    }
    return _t("%(hours)s h %(minutes)s min", { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

patch(PosStore.prototype, {
    async afterProcessServerData() {
        const result = await super.afterProcessServerData(...arguments);
        if (this.config.raw.dukkango_account_id) {
            this.dukkangoBusy = { pausedUntil: null, lastSuccessAt: null, alarm: false, skew: 0, now: Date.now() };
            this.data.connectWebSocket("DUKKANGO_WATCHDOG", (payload) => this.dukkangoOnWatchdog(payload));
            this.dukkangoRefreshBusy();
        }
        return result;
    },
    dukkangoStart() {
        super.dukkangoStart(...arguments);
        this.dukkangoTimers.push(
            setInterval(() => this.dukkangoRefreshBusy(), DUKKANGO_BUSY_INTERVAL),
            setInterval(() => this.dukkangoTick(), DUKKANGO_BUSY_TICK)
        );
    },
    /** Read the pause, the last successful poll and the alarm; offline, the last known stay. */
    async dukkangoRefreshBusy() {
        if (!this.dukkangoBusy) {
            return false;
        }
        let state;
        try {
            state = await this.data.call("pos.config", "dukkango_busy_ui", [[this.config.id]]);
        } catch {
            return false;
        }
        Object.assign(this.dukkangoBusy, {
            pausedUntil: serverTime(state.paused_until),
            lastSuccessAt: serverTime(state.last_success_at),
            alarm: state.alarm,
            // the server's clock, not the till's, says how long ago and how long still
            skew: serverTime(state.now) - Date.now(),
            now: Date.now(),
        });
        if (state.status && this.dukkangoStore) {
            this.dukkangoStore.status = state.status;
        }
        return true;
    },
    dukkangoTick() {
        if (this.dukkangoBusy) {
            this.dukkangoBusy.now = Date.now();
            if (this.dukkangoBusy.pausedUntil && this.dukkangoServerNow >= this.dukkangoBusy.pausedUntil) {
                this.dukkangoRefreshBusy(); // the pause is over: the server opened the restaurant
            }
        }
    },
    /** Bus message of the watchdog: polling stopped (alarm) or works again. */
    async dukkangoOnWatchdog({ alarm }) {
        await this.dukkangoRefreshBusy();
        if (alarm) {
            this.sound.play("error");
        }
    },
    get dukkangoServerNow() {
        return (this.dukkangoBusy?.now || Date.now()) + (this.dukkangoBusy?.skew || 0);
    },
    get dukkangoPaused() {
        const until = this.dukkangoBusy?.pausedUntil;
        return Boolean(until && until > this.dukkangoServerNow);
    },
    get dukkangoPauseLeft() {
        return durationText(this.dukkangoBusy.pausedUntil - this.dukkangoServerNow);
    },
    get dukkangoPauseText() {
        return _t("Paused · %s left", this.dukkangoPauseLeft);
    },
    get dukkangoPausedTitle() {
        return `${this.dukkangoPauseText} · ${this.dukkangoLastPollText}`;
    },
    /** How long ago the last poll succeeded, for the narrow top bar ("–": none yet). */
    get dukkangoLastPollAge() {
        const at = this.dukkangoBusy?.lastSuccessAt;
        return at ? durationText(this.dukkangoServerNow - at) : "–";
    },
    get dukkangoLastPollText() {
        return this.dukkangoBusy?.lastSuccessAt
            ? _t("Last poll %s ago", this.dukkangoLastPollAge)
            : _t("No successful poll yet");
    },
    dukkangoShowWatchdog() {
        // an account whose polls never succeeded has no time to count from
        const body = this.dukkangoBusy.lastSuccessAt
            ? _t(
                  "No poll of Dükkango succeeded for %s. New orders may not reach the till: take orders by phone " +
                      "or close the restaurant on Dükkango. The account's responsible has been told.",
                  this.dukkangoLastPollAge
              )
            : _t(
                  "No poll of Dükkango has succeeded yet. New orders may not reach the till: take orders by " +
                      "phone or close the restaurant on Dükkango. The account's responsible has been told."
              );
        this.dialog.add(AlertDialog, { title: _t("Dükkango orders are not being fetched"), body });
    },
    /** Managers pause Dükkango orders for 15, 30 or 60 minutes (busy mode). */
    async dukkangoPause() {
        if (!this.dukkangoCanToggleStore) {
            return false;
        }
        const minutes = await makeAwaitable(this.dialog, SelectionPopup, {
            title: _t("Pause Dükkango orders for"),
            list: DUKKANGO_PAUSE_MINUTES.map((value) => ({
                id: value,
                label: _t("%s minutes", value),
                item: value,
            })),
        });
        if (!minutes) {
            return false;
        }
        return await this.dukkangoBusyCall("action_dukkango_pause", [minutes]);
    },
    async dukkangoResume() {
        if (!this.dukkangoCanToggleStore) {
            return false;
        }
        const confirmed = await ask(this.dialog, {
            title: _t("Dükkango"),
            body: _t("Resume Dükkango orders now? The restaurant opens on Dükkango again."),
        });
        return confirmed && (await this.dukkangoBusyCall("action_dukkango_resume", []));
    },
    async dukkangoBusyCall(method, args) {
        let done = true;
        try {
            await this.data.call("pos.config", method, [[this.config.id], ...args]);
        } catch (error) {
            this.dukkangoAlert(error);
            done = false;
        }
        await this.dukkangoRefreshBusy();
        return done;
    },
});
