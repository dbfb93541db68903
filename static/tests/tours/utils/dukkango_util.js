/** Steps shared by the Dükkango tours. */

export function row(number) {
    return `.ticket-screen .order-row:has(.dukkango-number:contains("#${number}"))`;
}

export function rowStatusIs(number, status) {
    return {
        content: `Dükkango order #${number} shows ${status}`,
        trigger: `${row(number)} .dukkango-status:contains("${status}")`,
    };
}

export function noRow(number) {
    return {
        content: `Dükkango order #${number} is not listed`,
        trigger: `.ticket-screen:not(:has(.dukkango-number:contains("#${number}")))`,
    };
}

export function selectDukkangoOrder(number) {
    return {
        content: `select Dükkango order #${number}`,
        trigger: `${row(number)} .dukkango-number`,
        run: "click",
    };
}

export function clickPanelButton(name) {
    return {
        content: `click ${name} in the Dükkango panel`,
        trigger: `.dukkango-order-panel .dukkango-actions button.dukkango-${name}:not(:disabled)`,
        run: "click",
    };
}

export function chooseCancelReason(reason = "Müşteri iptal etti") {
    return {
        content: `cancel with the reason "${reason}"`,
        trigger: `.selection-item:contains('${reason}')`,
        run: "click",
    };
}

export function dialogSays(text) {
    return {
        content: `a dialog says "${text}"`,
        trigger: `.modal .modal-body:contains("${text}")`,
    };
}

/** Close the register, counting exactly the expected cash, then wait for the page to reload. */
export function closeRegister() {
    return [
        {
            content: "count the expected cash",
            trigger: ".close-pos-popup button.fa-clone",
            run: "click",
        },
        {
            content: "close the register",
            trigger: ".modal .modal-footer .btn-primary:contains('Close Register')",
            run: "click",
        },
        {
            content: "the register closed: the till reloads on a new session, not opened yet",
            trigger: ".screen-login .btn.open-register-btn",
            timeout: 20000,
        },
    ];
}
