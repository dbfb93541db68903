# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

from odoo import api, fields, models

from ..dukkango.exceptions import DukkangoError

_logger = logging.getLogger(__name__)

#: the reasons documented by Dükkango, used when /orders/cancel-reasons cannot be read
DOCUMENTED_REASONS = [
    (1, "Ürün tükendi"),
    (2, "Adres bulunamıyor"),
    (3, "Yoğunluk nedeniyle"),
    (4, "Müşteri iptal etti"),
    (5, "Teknik sorun"),
    (6, "Çok uzak teslimat adresi"),
    (7, "Ödeme problemi"),
    (8, "Diğer"),
]


class DukkangoCancelReason(models.Model):
    _name = "dukkango.cancel.reason"
    _description = "Dükkango Cancellation Reason"
    _order = "code"

    code = fields.Integer(required=True)
    name = fields.Char(required=True)
    account_id = fields.Many2one("dukkango.account", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [("code_unique", "UNIQUE(account_id, code)", "A reason is listed once per account.")]

    @api.model
    def _refresh(self, account):
        """Load the account's reasons from Dükkango, or the documented ones when that fails."""
        reasons = self.sudo()
        try:
            rows = [(int(r["id"]), str(r["reason"])) for r in account.sudo()._get_client().get_cancel_reasons()]
        except (DukkangoError, ValueError, TypeError) as error:
            _logger.info("Dükkango cancel reasons unavailable (%s): using the documented list", error)
            rows = [] if reasons.search_count([("account_id", "=", account.id)]) else DOCUMENTED_REASONS
        existing = {
            r.code: r for r in reasons.with_context(active_test=False).search([("account_id", "=", account.id)])
        }
        for code, name in rows:
            if code in existing:
                existing[code].write({"name": name, "active": True})
            else:
                reasons.create({"account_id": account.id, "code": code, "name": name})
        if rows:
            codes = {code for code, _name in rows}
            for code, reason in existing.items():
                if code not in codes:
                    reason.active = False
        return self.search([("account_id", "=", account.id)])
