# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import models
from odoo.exceptions import AccessError


class ResUsers(models.Model):
    _inherit = "res.users"

    def _dukkango_check_manager(self, message):
        """Refuse, on the server, what only Point of Sale managers may do; ``message`` says
        what, translated (e.g. "Only Point of Sale managers change what is sold on Dükkango.")."""
        self.ensure_one()
        if not self.has_group("point_of_sale.group_pos_manager"):
            raise AccessError(message)
