# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import REST_A, DukkangoPosCase


@tagged("post_install", "-at_install")
class TestMenuImport(DukkangoPosCase):
    """The Dükkango menu as POS products, kept in step with the platform."""

    def setUp(self):
        super().setUp()
        self.account.action_test_connection()  # lists the restaurants
        self.restaurant = self.config.dukkango_restaurant_id
        self.Food = self.env["dukkango.food"].with_context(active_test=False)
        self.menu = [food for food in self.sim.foods if food["restaurant_id"] == REST_A]

    def preview(self):
        action = self.config.action_dukkango_import_menu()
        return self.env[action["res_model"]].browse(action["res_id"])

    def import_menu(self):
        wizard = self.preview()
        wizard.action_apply()
        return wizard

    def sim_food(self, name):
        return next(food for food in self.menu if food["name"] == name)

    def link(self, name):
        return self.Food.search([("restaurant_id", "=", self.restaurant.id), ("name", "=", name)])

    def included_price(self, template, extra=0.0):
        taxes = template.taxes_id
        return taxes.compute_all(template.list_price + extra, product=template)["total_included"]

    def test_a_dish_that_cannot_be_imported_is_named(self):
        bad = dict(self.sim_food("Ayran"), food_id=104, name="Bozuk Yemek", price="bedava")
        self.sim.foods.append(bad)
        wizard = self.preview()
        self.assertIn("Dish 104 'Bozuk Yemek': price is not a number ('bedava')", wizard.errors)
        self.assertNotIn("data[", wizard.errors)
        self.assertEqual(len(wizard.line_ids), len(self.menu), "the rest of the menu is imported")

    def test_preview_writes_nothing_then_import_creates_products_and_options(self):
        wizard = self.preview()
        self.assertEqual(set(wizard.line_ids.mapped("action")), {"create"})
        self.assertEqual(len(wizard.line_ids), len(self.menu))
        self.assertFalse(self.Food.search([]), "the preview writes nothing")

        wizard.action_apply()
        self.assertEqual(len(self.Food.search([("restaurant_id", "=", self.restaurant.id)])), len(self.menu))
        kebap = self.link("Urfa Kebap").product_tmpl_id
        self.assertTrue(kebap.available_in_pos)
        self.assertEqual(kebap.pos_categ_ids.mapped("name"), ["Kebaplar"])
        self.assertAlmostEqual(self.included_price(kebap), 294.75, places=2)
        self.assertEqual(kebap.description_sale, self.sim_food("Urfa Kebap")["desc"])
        lines = {line.attribute_id.name: line for line in kebap.attribute_line_ids}
        self.assertEqual(set(lines), {"Porsiyon", "Acı Seçimi"})
        self.assertEqual(lines["Porsiyon"].attribute_id.create_variant, "no_variant")
        self.assertEqual(lines["Porsiyon"].attribute_id.display_type, "radio")
        portion = lines["Porsiyon"].product_template_value_ids.filtered(lambda v: v.name == "1.5 Porsiyon")
        self.assertAlmostEqual(self.included_price(kebap, portion.price_extra) - self.included_price(kebap), 120.0, 2)
        extras = self.link("Adana Dürüm").product_tmpl_id.attribute_line_ids.filtered(
            lambda line: line.attribute_id.name == "Ekstralar"
        )
        self.assertEqual(extras.attribute_id.display_type, "multi", "coklu: several options")
        self.assertEqual(len(kebap.product_variant_ids), 1, "options create no variants")

    def test_second_import_changes_nothing(self):
        self.import_menu()
        products = self.Food.search([]).product_tmpl_id
        stamps = products.mapped("write_date")
        self.env.flush_all()
        self.account.menu_fetched_at = False  # read the platform again
        wizard = self.preview()
        self.assertEqual(set(wizard.line_ids.mapped("action")), {"unchanged"})
        wizard.action_apply()
        self.assertEqual(self.Food.search([]).product_tmpl_id, products, "no duplicate")
        self.assertEqual(products.mapped("write_date"), stamps)

    def test_price_change_updates(self):
        self.import_menu()
        self.sim_food("Lahmacun")["price"] = 110
        self.account.menu_fetched_at = False
        wizard = self.preview()
        [line] = wizard.line_ids.filtered(lambda line: line.action == "update")
        self.assertEqual(line.name, "Lahmacun")
        self.assertIn("94.50 → 110.00", line.changes)
        wizard.action_apply()
        self.assertAlmostEqual(self.included_price(self.link("Lahmacun").product_tmpl_id), 110.0, places=2)

    def test_removed_item_is_archived_not_deleted(self):
        self.import_menu()
        template = self.link("Kola").product_tmpl_id
        self.sim.foods.remove(self.sim_food("Kola"))
        self.account.menu_fetched_at = False
        wizard = self.preview()
        self.assertEqual(wizard.line_ids.filtered(lambda line: line.action == "archive").mapped("name"), ["Kola"])
        wizard.action_apply()
        self.assertTrue(template.exists())
        self.assertFalse(template.active)
        self.assertFalse(self.link("Kola").active)
        self.assertFalse([r for r in self.sim.request_log() if r["endpoint"] == "food-passive"], "already off the menu")

    def test_menu_read_once_per_cooldown(self):
        self.preview()
        self.preview()
        self.assertEqual(len(self.sim.request_log("get-foods")), 1)

    def test_order_maps_onto_imported_products_and_options(self):
        self.import_menu()
        self.open_session()
        kebap = self.sim_food("Urfa Kebap")
        order = self.sim.add_order(
            restaurant_id=REST_A,
            payment_method="Kredi Kartı",
            foods=[
                {
                    "food_id": kebap["food_id"],
                    "name": "Urfa Kebap",
                    "quantity": 2,
                    "price": 294.75,
                    "note": "",
                    "add_substract": [
                        {"ilave_basligi": "Porsiyon", "ilave_opsiyonlari": [{"name": "1.5 Porsiyon", "price": 120}]},
                        {"ilave_basligi": "Acı Seçimi", "ilave_opsiyonlari": [{"name": "Acısız", "price": 0}]},
                    ],
                }
            ],
            total=829.5,
            discount="0",
            courier_fee=0,
            order_tip=0,
        )
        self.poll()
        pos_order = self.staged(order).pos_order_id
        [line] = pos_order.lines
        self.assertEqual(line.product_id.product_tmpl_id, self.link("Urfa Kebap").product_tmpl_id)
        self.assertEqual(sorted(line.attribute_value_ids.mapped("name")), ["1.5 Porsiyon", "Acısız"])
        self.assertAlmostEqual(line.price_subtotal_incl, 829.50, places=2)
        self.assertEqual(pos_order.amount_total, 829.50)
        self.assertFalse(line.note, "matched options are not repeated in the kitchen note")

    def test_availability_round_trip(self):
        self.import_menu()
        link = self.link("Ayran")
        link.action_set_unavailable()
        self.assertFalse(link.available)
        self.assertFalse(self.sim_food("Ayran")["active"])
        link.action_set_available()
        self.assertTrue(link.available)
        self.assertTrue(self.sim_food("Ayran")["active"])

    def test_only_managers_change_availability(self):
        self.import_menu()
        cashier = new_test_user(self.env, "dukkango_menu_cashier", groups="point_of_sale.group_pos_user")
        with self.assertRaises(AccessError):
            self.link("Ayran").with_user(cashier).action_set_unavailable()
        self.assertTrue(self.sim_food("Ayran")["active"])

    def test_availability_unchanged_on_platform_error(self):
        self.import_menu()
        link = self.link("Ayran")
        self.sim.inject_fault("food-passive", "500", count=5)
        with self.assertRaises(UserError):
            link.action_set_unavailable()
        self.assertTrue(link.available)
        self.assertTrue(self.sim_food("Ayran")["active"])

    def test_archiving_or_removing_from_pos_makes_passive(self):
        self.import_menu()
        self.link("Ayran").product_tmpl_id.active = False
        self.assertTrue(self.sim_food("Ayran")["active"], "not before the commit")
        self.env["dukkango.restaurant"]._cron_send_requested()
        self.assertFalse(self.sim_food("Ayran")["active"])
        self.assertFalse(self.link("Ayran").available)
        self.link("Şalgam").product_tmpl_id.available_in_pos = False
        self.env["dukkango.restaurant"]._cron_send_requested()
        self.assertFalse(self.sim_food("Şalgam")["active"])
