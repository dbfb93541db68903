# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging
from datetime import timedelta

from odoo import api, fields, models

from ..dukkango.exceptions import DukkangoError
from ..dukkango.mapping import DOCUMENTED_PAYMENT_METHODS, PREPAID_KEYS, payment_kinds

_logger = logging.getLogger(__name__)

#: how long the platform's list is used before it is read again
REFRESH_AFTER = timedelta(days=1)


class DukkangoPaymentMethod(models.Model):
    """A payment method of the platform (``/orders/variables`` ``paymentMethod``): orders
    name theirs by ``name``; only the pre-paid ones are booked as paid online."""

    _name = "dukkango.payment.method"
    _description = "Dükkango Payment Method"
    _order = "account_id, key"

    key = fields.Char(required=True, readonly=True)
    name = fields.Char(required=True, readonly=True)
    prepaid = fields.Boolean(
        string="Paid on Dükkango",
        compute="_compute_prepaid",
        store=True,
        help="Orders paid this way are booked as paid online; the others are paid at the till.",
    )
    account_id = fields.Many2one("dukkango.account", required=True, ondelete="cascade", index=True, readonly=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    active = fields.Boolean(default=True, readonly=True)

    _sql_constraints = [("key_unique", "UNIQUE(account_id, key)", "A payment method is listed once per account.")]

    @api.depends("key")
    def _compute_prepaid(self):
        for method in self:
            method.prepaid = method.key in PREPAID_KEYS

    @api.model
    def _kinds(self, account):
        """``{name (casefolded): key}`` of the account's list, read from Dükkango at most once
        a day (the last list, else the documented one, when it cannot be read)."""
        methods = self.sudo().search([("account_id", "=", account.id)])
        if not methods or min(methods.mapped("write_date")) < fields.Datetime.now() - REFRESH_AFTER:
            methods = self._refresh(account) or methods
        rows = [{"key": m.key, "name": m.name} for m in methods]
        return payment_kinds({"paymentMethod": rows or DOCUMENTED_PAYMENT_METHODS})

    @api.model
    def _refresh(self, account):
        Method = self.sudo().with_context(active_test=False)
        try:
            rows = account.sudo()._get_client().get_variables()["paymentMethod"]
        except (DukkangoError, KeyError, TypeError) as error:
            _logger.info("Dükkango payment methods unavailable (%s): using the last list", error)
            return Method.browse()
        existing = {method.key: method for method in Method.search([("account_id", "=", account.id)])}
        seen = Method.browse()
        for row in rows:
            key, name = str(row["key"]).strip().upper(), str(row["name"]).strip()
            if key in existing:
                existing[key].write({"name": name, "active": True})
                seen |= existing[key]
            else:
                seen |= Method.create({"account_id": account.id, "key": key, "name": name})
        (Method.browse([m.id for m in existing.values()]) - seen).write({"active": False})
        return seen
