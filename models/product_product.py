# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import fields, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    def get_product_info_pos(self, price, quantity, pos_config_id):
        """The POS product information also says whether the dish is orderable on Dükkango."""
        info = super().get_product_info_pos(price, quantity, pos_config_id)
        config = self.env["pos.config"].browse(pos_config_id)
        restaurant = config.dukkango_restaurant_id
        food = restaurant and self.product_tmpl_id.dukkango_food_ids.filtered(lambda f: f.restaurant_id == restaurant)
        if food:
            info["dukkango"] = {
                "id": food[0].id,
                "available": food[0].available,
                "restaurant": restaurant.name,
                "sold_out_until": food[0].sold_out_until and fields.Datetime.to_string(food[0].sold_out_until),
            }
        return info
