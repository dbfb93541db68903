# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import logging

from odoo import api, models

_logger = logging.getLogger(__name__)

DUKKANGO_JOURNAL_CODE = "DKGO"


class PosPaymentMethod(models.Model):
    _inherit = "pos.payment.method"

    @api.model
    def _dukkango_online_method(self, company):
        """Return (creating it the first time) the company's "Dükkango Online" method.

        It books the orders paid on the platform in a bank journal of their own
        (code DKGO). A company without a chart of accounts gets none.
        """
        Journal = self.env["account.journal"].sudo()
        journal = Journal.search([("code", "=", DUKKANGO_JOURNAL_CODE), ("company_id", "=", company.id)], limit=1)
        if not journal:
            if not company.chart_template:
                _logger.info("Company %s has no chart of accounts: no Dükkango payment method", company.id)
                return self.browse()
            journal = Journal.with_company(company).create(
                {
                    "name": self.env._("Dükkango"),
                    "code": DUKKANGO_JOURNAL_CODE,
                    "type": "bank",
                    "company_id": company.id,
                }
            )
        method = self.sudo().search([("journal_id", "=", journal.id)], limit=1)
        if not method:
            method = (
                self.sudo()
                .with_company(company)
                .create(
                    {
                        "name": self.env._("Dükkango Online"),
                        "journal_id": journal.id,
                        "company_id": company.id,
                    }
                )
            )
        return method.sudo(False)
