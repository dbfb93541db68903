# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class PosSession(models.Model):
    _inherit = "pos.session"

    def write(self, vals):
        res = super().write(vals)
        if vals.get("state") == "opened":
            configs = self.config_id.filtered("dukkango_account_id")
            if configs:
                # the orders that waited for a session come in the moment one opens
                self.env["dukkango.order"]._import_pending(configs.dukkango_account_id, configs=configs)
        return res
