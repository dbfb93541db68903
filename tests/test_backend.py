# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from ..models.dukkango_cancel_reason import DOCUMENTED_REASONS
from .common import REST_A, REST_B, DukkangoPosCase


@tagged("post_install", "-at_install")
class TestBackend(DukkangoPosCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pos_user = new_test_user(
            cls.env,
            login="kasiyer2",
            groups="point_of_sale.group_pos_user",
            company_id=cls.env.company.id,
            company_ids=[Command.set(cls.env.company.ids)],
        )

    def import_order(self, **changes):
        values = {
            "restaurant_id": REST_A,
            "shipping_method": "delivery",
            "courier_type": "restaurant",
            "payment_method": "Kredi Kartı",
        }
        values.update(changes)
        order = self.sim.add_order(**values)
        self.poll()
        staged = self.staged(order)
        self.assertEqual(staged.state, "done", staged.error_message)
        return staged.pos_order_id

    # ------------------------------------------------------------------ settings
    def test_settings_write_through_and_restaurant_choice(self):
        self.account.action_test_connection()
        restaurants = self.env["dukkango.restaurant"].search([("account_id", "=", self.account.id)])
        self.assertEqual(set(restaurants.mapped("uuid")), {REST_A, REST_B})
        akat = restaurants.filtered(lambda r: r.uuid == REST_B)
        self.assertEqual(akat.name, "Akat Şube")
        settings = self.env["res.config.settings"].create({"pos_config_id": self.config.id})
        self.assertEqual(settings.pos_dukkango_account_id, self.account)
        self.assertEqual(settings.pos_dukkango_restaurant_id.uuid, REST_A)
        settings.write(
            {
                "pos_dukkango_restaurant_id": akat.id,
                "pos_dukkango_auto_accept": True,
                "pos_dukkango_preparing_time": 45,
            }
        )
        settings.execute()
        self.assertEqual(self.config.dukkango_restaurant_id, akat)
        self.assertTrue(self.config.dukkango_auto_accept)
        self.assertEqual(self.config.dukkango_preparing_time, 45)
        # the platform no longer lists a restaurant: it is archived, not deleted
        self.sim.accounts = {self.sim.rest_secret_key: [REST_A]}
        self.account.action_test_connection()
        self.assertFalse(akat.active)

    def test_settings_form_renders_and_has_defaults(self):
        with Form(self.env["res.config.settings"]) as form:
            form.pos_config_id = self.config
            self.assertEqual(form.pos_dukkango_fee_product_id, self.env.ref("pos_dukkango.product_dukkango_fee"))
            self.assertEqual(form.pos_dukkango_online_payment_method_id.journal_id.code, "DKGO")
            self.assertEqual(form.pos_dukkango_preparing_time, 30)

    def test_config_created_before_install_gets_products_when_linked(self):
        config = self.env["pos.config"].create({"name": "Eski", "payment_method_ids": [(6, 0, self.bank_pm1.ids)]})
        config.write({name: False for name in ("dukkango_fee_product_id", "dukkango_tip_product_id")})
        config.write({"dukkango_account_id": self.account.id, "dukkango_restaurant_id": self.restaurant(REST_B).id})
        self.assertEqual(config.dukkango_fee_product_id, self.env.ref("pos_dukkango.product_dukkango_fee"))
        self.assertEqual(config.dukkango_tip_product_id, self.env.ref("pos_dukkango.product_dukkango_tip"))

    def test_fetch_orders_now(self):
        self.open_session()
        self.sim.add_order(restaurant_id=REST_A)
        settings = self.env["res.config.settings"].create({"pos_config_id": self.config.id})
        action = settings.action_dukkango_fetch_orders()
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("1 order(s) received, 1 imported", action["params"]["message"])
        again = settings.action_dukkango_fetch_orders()  # within the platform's 30 s cooldown
        self.assertEqual(again["params"]["type"], "warning")
        self.assertEqual(len(self.sim.request_log("get-current")), 1)
        with self.assertRaisesRegex(UserError, "Choose a Dükkango account"):
            self.env["res.config.settings"].create(
                {"pos_config_id": self.other_currency_config.id}
            ).action_dukkango_test_connection()

    # ------------------------------------------------------------------ actions
    def test_accept_with_wizard_then_on_the_way_then_complete(self):
        self.open_session()
        pos_order = self.import_order()
        key = pos_order.dukkango_order_id.payment_key
        self.assertTrue(pos_order.dukkango_can_accept)
        self.assertFalse(pos_order.dukkango_can_on_the_way)
        action = pos_order.action_dukkango_accept()
        self.assertEqual(action["res_model"], "dukkango.accept.wizard")
        wizard = Form(self.env["dukkango.accept.wizard"].with_context(**action["context"]))
        self.assertEqual(wizard.preparing_time, 30)
        wizard.preparing_time = 20
        wizard.save().action_confirm()
        self.assertEqual((self.sim.order_status(key), self.sim.orders[key]["preparing_time"]), (2, 20))
        self.assertEqual(pos_order.dukkango_status, "confirmed")
        self.assertEqual(pos_order.dukkango_preparing_time, 20)
        self.assertTrue(pos_order.dukkango_can_on_the_way)
        pos_order.action_dukkango_on_the_way()
        self.assertEqual((self.sim.order_status(key), pos_order.dukkango_status), (16, "in_delivery"))
        pos_order.action_dukkango_complete()
        self.assertEqual((self.sim.order_status(key), pos_order.dukkango_status), (5, "delivered"))
        self.assertFalse(pos_order.dukkango_can_cancel)

    def test_pickup_order_is_completed_without_on_the_way(self):
        self.open_session()
        pos_order = self.import_order(shipping_method="pickup", courier_type="come_get")
        pos_order.action_dukkango_accept(preparing_time=15)
        self.assertFalse(pos_order.dukkango_can_on_the_way)
        requests_before = len(self.sim.request_log())
        with self.assertRaisesRegex(UserError, "cannot be sent on the way"):
            pos_order.action_dukkango_on_the_way()
        self.assertEqual(len(self.sim.request_log()), requests_before)  # nothing sent
        self.assertEqual(pos_order.dukkango_status, "confirmed")
        pos_order.action_dukkango_complete()
        self.assertEqual(pos_order.dukkango_status, "delivered")

    def test_refusals_change_nothing(self):
        self.open_session()
        pos_order = self.import_order()
        key = pos_order.dukkango_order_id.payment_key
        # the platform cancelled the order meanwhile: accepting is refused by Dükkango
        self.sim.set_status(key, 6)
        with self.assertRaisesRegex(UserError, "geçersiz durum"):
            pos_order.action_dukkango_accept(preparing_time=30)
        self.assertEqual(pos_order.dukkango_status, "received")
        self.sim.set_status(key, 1)
        self.sim.inject_fault("accept", "500")
        with self.assertRaisesRegex(UserError, "Internal server error"):
            pos_order.action_dukkango_accept(preparing_time=30)
        self.assertEqual(pos_order.dukkango_status, "received")
        self.sim.inject_fault("accept", "drop")
        with self.assertRaisesRegex(UserError, "Cannot reach Dükkango"):
            pos_order.action_dukkango_accept(preparing_time=30)
        self.assertEqual((self.sim.order_status(key), pos_order.dukkango_status), (1, "received"))
        for minutes in (0, 601):  # what the platform would refuse is refused here, with a message
            with self.assertRaisesRegex(UserError, "from 1 to 600"):
                pos_order.action_dukkango_accept(preparing_time=minutes)
        with self.assertRaisesRegex(UserError, "cannot be completed"):
            pos_order.action_dukkango_complete()

    def test_cancel_with_reasons_from_the_platform(self):
        self.open_session()
        pos_order = self.import_order(payment_method="Nakit")
        key = pos_order.dukkango_order_id.payment_key
        action = pos_order.action_dukkango_cancel()
        wizard = Form(self.env["dukkango.cancel.wizard"].with_context(**action["context"]))
        reasons = self.env["dukkango.cancel.reason"].search([("account_id", "=", self.account.id)])
        self.assertEqual(reasons.mapped("name"), [name for _code, name in DOCUMENTED_REASONS])
        wizard.reason_id = reasons.filtered(lambda r: r.code == 3)
        wizard.save().action_confirm()
        self.assertEqual((self.sim.order_status(key), self.sim.orders[key]["cancel_reason"]), (6, 3))
        self.assertEqual(pos_order.dukkango_status, "cancelled")
        self.assertEqual(pos_order.state, "cancel")  # the draft cash order is cancelled too

    def test_cancel_reasons_fallback_when_platform_fails(self):
        self.sim.inject_fault("cancel-reasons", "500", 10)
        reasons = self.env["dukkango.cancel.reason"]._refresh(self.account)
        self.assertEqual([(r.code, r.name) for r in reasons], DOCUMENTED_REASONS)
        # the platform's own list replaces it when it answers
        self.sim.faults.clear()
        self.env["dukkango.cancel.reason"]._refresh(self.account)
        self.assertEqual(len(self.env["dukkango.cancel.reason"].search([("account_id", "=", self.account.id)])), 8)

    def test_retry_import_and_open_pos_order(self):
        self.open_session()
        fallback = self.config.dukkango_fallback_product_id
        self.config.dukkango_fallback_product_id = False
        order = self.sim.add_order(restaurant_id=REST_A)
        self.poll()
        staged = self.staged(order)
        self.assertEqual(staged.state, "error")
        self.assertIn("Fallback Product", staged.error_message)
        self.config.dukkango_fallback_product_id = fallback
        staged.action_retry_import()
        self.assertEqual(staged.state, "done")
        action = staged.action_open_pos_order()
        self.assertEqual((action["res_model"], action["res_id"]), ("pos.order", staged.pos_order_id.id))

    # ------------------------------------------------------------------ access
    def test_pos_user_runs_actions_but_reads_no_secret_nor_payload(self):
        self.open_session()
        pos_order = self.import_order().with_user(self.pos_user)
        self.assertEqual(pos_order.dukkango_status, "received")
        pos_order.action_dukkango_accept(preparing_time=25)
        self.assertEqual(pos_order.dukkango_status, "confirmed")
        with self.assertRaises(AccessError):
            pos_order.read(["dukkango_payload"])
        with self.assertRaises(AccessError):
            pos_order.dukkango_order_id.read(["payload"])
        with self.assertRaises(AccessError):
            self.account.with_user(self.pos_user).read(["app_secret_key"])
        with self.assertRaises(AccessError):
            pos_order.dukkango_order_id.write({"state": "error"})
        # managers read the raw payload
        self.assertIn(pos_order.dukkango_order_id.payment_key, pos_order.sudo().dukkango_payload)

    # ------------------------------------------------------------------ language
    def test_turkish_terms_in_rendered_views(self):
        self.env["res.lang"]._activate_lang("tr_TR")
        self.env["ir.module.module"]._load_module_terms(["pos_dukkango"], ["tr_TR"], overwrite=True)
        PosOrder = self.env["pos.order"].with_context(lang="tr_TR")
        views = PosOrder.get_views([(False, "list"), (False, "search")])
        self.assertEqual(views["models"]["pos.order"]["fields"]["dukkango_status"]["string"], "Dükkango Durumu")
        self.assertIn("Dükkango siparişleri", views["views"]["search"]["arch"])
        selection = dict(PosOrder.fields_get(["dukkango_status"])["dukkango_status"]["selection"])
        self.assertEqual(selection["in_delivery"], "Yolda")
