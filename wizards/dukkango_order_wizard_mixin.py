# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class DukkangoOrderWizardMixin(models.AbstractModel):
    """What the accept and cancel wizards share: the POS orders they act on."""

    _name = "dukkango.order.wizard.mixin"
    _description = "Dükkango Order Wizard"

    pos_order_ids = fields.Many2many("pos.order", string="Orders", required=True)

    def _default_pos_orders(self, values):
        """The POS orders of the defaults of a new wizard (``default_pos_order_ids``)."""
        commands = values.get("pos_order_ids") or []
        ids = []
        for command in commands:
            if command[0] == fields.Command.SET:
                ids = list(command[2])
            elif command[0] == fields.Command.LINK:
                ids.append(command[1])
        return self.env["pos.order"].browse(ids)
