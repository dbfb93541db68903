# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models


class PosSession(models.Model):
    _inherit = "pos.session"

    def write(self, vals):
        # sessions that start closing now (closing control, or closed at once)
        closing = (
            self.filtered(lambda s: s.state not in ("closing_control", "closed"))
            if vals.get("state") in ("closing_control", "closed")
            else self.browse()
        )
        res = super().write(vals)
        if vals.get("state") == "opened":
            configs = self.config_id.filtered("dukkango_account_id")
            if configs:
                # the orders that waited for a session come in the moment one opens
                self.env["dukkango.pos.import"]._import_pending(configs.dukkango_account_id, configs=configs)
                configs._dukkango_follow_session(True)
        elif closing:
            closing.config_id.filtered("dukkango_account_id")._dukkango_follow_session(False)
        return res
