# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import new_test_user, tagged

from .common import REST_A, DukkangoPosCase, DukkangoTillCase

FOOD_CALLS = ("food-active", "food-passive")


class SoldOutCase(DukkangoPosCase):
    """Restaurant A's menu imported; a Point of Sale manager and a cashier of the company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        users = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.manager = new_test_user(
            cls.env, login="dk_sold_out_manager", groups="base.group_user,point_of_sale.group_pos_manager", **users
        )
        cls.cashier = new_test_user(
            cls.env, login="dk_sold_out_cashier", groups="base.group_user,point_of_sale.group_pos_user", **users
        )
        cls.cron = cls.env.ref("pos_dukkango.ir_cron_dukkango_back_on_sale")

    def setUp(self):
        super().setUp()
        self.account.action_test_connection()
        action = self.config.action_dukkango_import_menu()
        self.env[action["res_model"]].browse(action["res_id"]).action_apply()
        self.food = self.dish("Ayran")
        self.sim.requests.clear()

    def dish(self, name):
        return self.env["dukkango.food"].search([("restaurant_id.uuid", "=", REST_A), ("name", "=", name)])

    def other_dish(self):
        return self.env["dukkango.food"].search(
            [("restaurant_id.uuid", "=", REST_A), ("id", "!=", self.food.id)], limit=1
        )

    def assert_in_agreement(self, foods):
        """Odoo says of each dish what the platform does."""
        for food in foods:
            self.assertEqual(food.available, self.sim_active(food), f"{food.name}: Odoo and Dükkango disagree")

    def sim_active(self, food):
        return next(f for f in self.sim.foods if f["food_id"] == food.food_id)["active"]

    def food_calls(self):
        """The dish calls the platform received: ``[(endpoint, food id)]``."""
        calls = [r for r in self.sim.request_log() if r["endpoint"] in FOOD_CALLS]
        return [(r["endpoint"], int(r["path"].rsplit("/", 1)[-1])) for r in calls]

    def state(self):
        return self.food.available, self.food.sold_out_until, self.food.sold_out_reason

    def triggers_at(self):
        return self.env["ir.cron.trigger"].search([("cron_id", "=", self.cron.id)]).mapped("call_at")


@tagged("post_install", "-at_install")
class TestSoldOut(SoldOutCase):
    def test_sold_out_for_minutes_back_on_sale_by_a_later_cron_run(self):
        before = fields.Datetime.now()
        self.food.with_user(self.manager).action_sold_out(minutes=30)
        until = self.food.sold_out_until
        self.assertTrue(before + timedelta(minutes=30) <= until <= fields.Datetime.now() + timedelta(minutes=30))
        self.assertEqual((self.food.available, self.food.sold_out_reason), (False, "timer"))
        self.assertFalse(self.sim_active(self.food))
        self.assertIn(until, self.triggers_at(), "the scheduled action is woken at the end")

        # a restart: nothing but the database is left, a later run of the scheduled action does it
        self.env.flush_all()
        self.env.invalidate_all()
        Food = self.env["dukkango.food"]
        self.assertFalse(Food._cron_back_on_sale(now=until - timedelta(minutes=1)), "not yet")
        self.assertFalse(self.sim_active(self.food))
        self.assertEqual(Food._cron_back_on_sale(now=until + timedelta(minutes=7)), self.food)
        self.assertTrue(self.sim_active(self.food))
        self.assertEqual(self.state(), (True, False, False))
        self.assertEqual(self.food_calls(), [("food-passive", self.food.food_id), ("food-active", self.food.food_id)])
        Food._cron_back_on_sale(now=until + timedelta(hours=1))
        self.assertEqual(len(self.food_calls()), 2, "once back on sale, the dish is left alone")

    def test_platform_refusing_to_put_it_back_keeps_it_for_the_next_run(self):
        self.food.with_user(self.manager).action_sold_out(minutes=60)
        later = self.food.sold_out_until + timedelta(minutes=1)
        self.sim.inject_fault("food-active", "refuse")
        self.env["dukkango.food"]._cron_back_on_sale(now=later)
        self.assertFalse(self.food.available)
        self.assertTrue(self.food.sold_out_until, "still waiting to go back on sale")
        self.assertTrue(self.food.last_error)
        self.env["dukkango.food"]._cron_back_on_sale(now=later + timedelta(minutes=10))
        self.assertTrue(self.food.available and self.sim_active(self.food))
        self.assertFalse(self.food.last_error)

    def test_cashier_is_refused_on_the_server(self):
        for method in ("action_sold_out_30", "action_sold_out_60", "action_sold_out_next_opening"):
            with self.subTest(method=method), self.assertRaises(AccessError) as caught:
                getattr(self.food.with_user(self.cashier), method)()
            self.assertIn("Only Point of Sale managers", str(caught.exception))
        with self.assertRaises(AccessError):
            self.food.with_user(self.cashier).action_sold_out(minutes=30)
        self.assertEqual(self.food_calls(), [])
        self.assertTrue(self.food.available)
        self.assertFalse(self.food.sold_out_until)

    def test_platform_refusal_names_the_dish(self):
        self.sim.inject_fault("food-passive", "refuse")
        with self.assertRaises(UserError) as caught:
            self.food.with_user(self.manager).action_sold_out(minutes=30)
        self.assertIn("Ayran", str(caught.exception))
        self.assertTrue(self.food.available)
        self.assertFalse(self.food.sold_out_until)
        self.assert_in_agreement(self.food)

    def test_one_dish_at_a_time(self):
        """Several dishes in one request: a refusal for a later one would roll back Odoo's record
        of the earlier ones Dükkango already took off, so the server takes one dish at a time."""
        foods = self.food | self.other_dish()
        calls = [
            ("action_sold_out", {"minutes": 30}),
            ("action_sold_out_next_opening", {}),
            ("action_set_unavailable", {}),
            ("action_set_available", {}),
        ]
        for method, kwargs in calls:
            with self.subTest(method=method), self.assertRaises(UserError) as caught:
                getattr(foods.with_user(self.manager), method)(**kwargs)
            self.assertIn("one Dükkango dish at a time (2 were selected)", str(caught.exception))
        self.assertEqual(self.food_calls(), [])
        self.assertTrue(all(foods.mapped("available")))
        self.assert_in_agreement(foods)

    def test_the_duration_is_a_whole_number_of_minutes_up_to_a_day(self):
        food = self.food.with_user(self.manager)
        for minutes in (None, 0, -5, 1441, 10**30, True, False, 30.0, "30", "abc", [30]):
            with self.subTest(minutes=minutes), self.assertRaises(UserError) as caught:
                food.action_sold_out(minutes=minutes)
            self.assertIn("“Ayran” is sold out: a whole number from 1 to 1440", str(caught.exception))
        self.assertEqual(self.food_calls(), [])
        self.assertEqual(self.state(), (True, False, False))
        before = fields.Datetime.now()
        food.action_sold_out(minutes=1440)
        self.assertGreaterEqual(self.food.sold_out_until, before + timedelta(days=1))
        self.assertEqual(self.state()[0::2], (False, "timer"))

    def test_sell_again_by_hand_ends_the_timer(self):
        self.food.with_user(self.manager).action_sold_out(minutes=30)
        self.food.with_user(self.manager).action_set_available()
        self.assertEqual(self.state(), (True, False, False))
        self.env["dukkango.food"]._cron_back_on_sale(now=fields.Datetime.now() + timedelta(hours=2))
        self.assertEqual([call for call, _id in self.food_calls()], ["food-passive", "food-active"])

    def test_stopped_by_hand_stays_off(self):
        self.food.with_user(self.manager).action_sold_out(minutes=30)
        self.food.with_user(self.manager).action_set_unavailable()  # the end is dropped, it stays off
        self.assertEqual((self.food.sold_out_until, self.food.sold_out_reason), (False, "manual"))
        self.env["dukkango.food"]._cron_back_on_sale(now=fields.Datetime.now() + timedelta(hours=2))
        self.assertFalse(self.sim_active(self.food))
        self.assertFalse(self.food.available)

    def test_refusal_of_one_dish_by_the_scheduled_action_keeps_the_others(self):
        foods = self.food | self.other_dish()
        for food in foods:
            food.with_user(self.manager).action_sold_out(minutes=30)
        self.sim.inject_fault("food-active", "refuse")  # the first dish put back is refused
        done = self.env["dukkango.food"]._cron_back_on_sale(now=fields.Datetime.now() + timedelta(hours=1))
        self.assertEqual(done, foods)
        self.assertEqual(sorted(foods.mapped("available")), [False, True])
        self.assert_in_agreement(foods)
        refused = foods.filtered(lambda f: not f.available)
        self.assertTrue(refused.sold_out_until and refused.last_error, "tried again at the next run")

    def test_archived_dish_loses_its_time_and_stays_off(self):
        self.food.with_user(self.manager).action_sold_out(minutes=30)
        self.food.active = False
        done = self.env["dukkango.food"]._cron_back_on_sale(now=fields.Datetime.now() + timedelta(hours=2))
        self.assertEqual(done, self.food)
        self.assertEqual((self.food.sold_out_until, self.food.sold_out_reason), (False, False))
        self.assertFalse(self.food.available)
        self.assertFalse(self.sim_active(self.food))
        self.assertEqual(self.food_calls(), [("food-passive", self.food.food_id)])

    def test_archived_product_is_not_put_back_on_sale(self):
        self.food.with_user(self.manager).action_sold_out(minutes=30)
        self.food.product_tmpl_id.active = False
        self.env["dukkango.food"]._cron_back_on_sale(now=fields.Datetime.now() + timedelta(hours=2))
        self.assertFalse(self.sim_active(self.food))
        self.assertFalse(self.food.sold_out_until)

    def test_until_tomorrow_without_opening_hours_is_the_next_midnight_in_istanbul(self):
        self.manager.tz = "America/New_York"  # the restaurant's time zone decides, not the manager's
        self.company.partner_id.tz = "Asia/Tokyo"
        food = self.food.with_user(self.manager)
        # 23:30 in İstanbul (UTC+3) on 1 December: back at 00:00 on the 2nd, 21:00 UTC
        self.assertEqual(food._next_opening(datetime(2026, 12, 1, 20, 30)), datetime(2026, 12, 1, 21, 0))
        # 00:30 in İstanbul on the 2nd: back at midnight of the 3rd
        self.assertEqual(food._next_opening(datetime(2026, 12, 1, 21, 30)), datetime(2026, 12, 2, 21, 0))
        food.action_sold_out(until_tomorrow=True)
        self.assertEqual(self.food.sold_out_until, food._next_opening(fields.Datetime.now()))
        self.assertGreater(self.food.sold_out_until, fields.Datetime.now())

    def test_until_tomorrow_with_empty_opening_hours_is_midnight_in_their_time_zone(self):
        self.config.dukkango_calendar_id = self.env["resource.calendar"].create(
            {
                "name": "Kapalı",
                "tz": "Europe/Berlin",
                "company_id": self.config.company_id.id,
                "attendance_ids": [Command.clear()],
            }
        )
        # 21:30 in Berlin (UTC+1) on 1 December: back at 00:00 on the 2nd, 23:00 UTC
        self.assertEqual(self.food._next_opening(datetime(2026, 12, 1, 20, 30)), datetime(2026, 12, 1, 23, 0))

    def test_until_tomorrow_is_the_next_opening_of_the_restaurants_till(self):
        """Opening hours 10:00-22:00 every day in İstanbul (07:00-19:00 UTC) on the restaurant's till."""
        self.config.dukkango_calendar_id = self.daily_hours("Akşam servisi", 10, 22)
        self.manager.tz = "America/New_York"  # the opening hours decide, not the manager's time zone
        food = self.food.with_user(self.manager)
        self.assertEqual(food._next_opening(datetime(2026, 12, 1, 20, 30)), datetime(2026, 12, 2, 7, 0))
        self.assertEqual(food._next_opening(datetime(2026, 12, 1, 5, 0)), datetime(2026, 12, 1, 7, 0))
        # sold out as the till opens, or while it is open: until the next day's opening
        self.assertEqual(food._next_opening(datetime(2026, 12, 1, 7, 0)), datetime(2026, 12, 2, 7, 0))
        self.assertEqual(food._next_opening(datetime(2026, 12, 1, 12, 0)), datetime(2026, 12, 2, 7, 0))
        food.action_sold_out(until_tomorrow=True)
        self.assertEqual(self.food.sold_out_until.minute, 0)
        self.assertEqual(self.food.sold_out_until.hour, 7, "at 10:00 in İstanbul")
        self.assertIn(self.food.sold_out_until, self.triggers_at())


@tagged("post_install", "-at_install")
class TestSoldOutOnStock(SoldOutCase):
    """With the setting "Sold out when out of stock", a storable dish follows its on-hand quantity."""

    def setUp(self):
        super().setUp()
        self.env["res.config.settings"].create({"dukkango_sold_out_on_stock": True}).execute()
        self.food.product_tmpl_id.is_storable = True
        self.product = self.food.product_tmpl_id.product_variant_id
        self.stock = self.config.picking_type_id.warehouse_id.lot_stock_id
        self.assertTrue(self.stock, "the point of sale has a warehouse")

    def count(self, quantity, location=None):
        """An inventory adjustment: ``quantity`` on hand (in the point of sale's warehouse)."""
        self.env["stock.quant"].with_context(inventory_mode=True).create(
            {"product_id": self.product.id, "location_id": (location or self.stock).id, "inventory_quantity": quantity}
        ).action_apply_inventory()

    def send(self):
        """The scheduled actions, after the commit: the changes requested, then the dishes back on sale."""
        self.env["dukkango.restaurant"]._cron_send_requested()
        self.env["dukkango.food"]._cron_back_on_sale()

    def test_off_at_zero_back_when_restocked(self):
        self.count(3)
        self.send()
        self.assertEqual(self.food_calls(), [], "in stock: nothing to change")
        self.count(0)
        self.assertEqual((self.food.passive_requested, self.food.sold_out_reason), (True, "stock"))
        self.assertEqual(self.food_calls(), [], "nothing is sent inside the stock transaction")
        self.send()
        self.assertFalse(self.food.available or self.sim_active(self.food))
        self.count(5)
        self.assertTrue(self.food.sold_out_until, "back on sale after the commit")
        self.assertEqual(self.food_calls(), [("food-passive", self.food.food_id)])
        self.send()
        self.assertTrue(self.food.available and self.sim_active(self.food))
        self.assertFalse(self.food.sold_out_reason)

    def test_restocked_before_it_was_sent(self):
        self.count(2)
        self.count(0)
        self.assertTrue(self.food.passive_requested)
        self.count(2)
        self.assertEqual((self.food.passive_requested, self.food.sold_out_reason), (False, False))
        self.send()
        self.assertEqual(self.food_calls(), [])
        self.assertTrue(self.food.available)

    def test_timer_ending_without_stock_waits_for_the_restock(self):
        self.count(4)
        self.food.with_user(self.manager).action_sold_out(minutes=30)
        self.count(0)
        self.env["dukkango.food"]._cron_back_on_sale(now=fields.Datetime.now() + timedelta(hours=1))
        self.assertEqual((self.food.available, self.food.sold_out_reason), (False, "stock"))
        self.count(1)
        self.send()
        self.assertTrue(self.food.available and self.sim_active(self.food))

    def test_stock_of_another_warehouse_does_not_count(self):
        other = self.env["stock.warehouse"].create(
            {"name": "Merkez Depo", "code": "DKW2", "company_id": self.company.id}
        )
        self.count(7, other.lot_stock_id)
        self.assertTrue(self.food.passive_requested, "7 in another warehouse, none in the till's: off")
        self.count(2)
        self.assertEqual((self.food.passive_requested, self.food.sold_out_reason), (False, False))
        self.count(0)
        self.assertEqual((self.food.passive_requested, self.food.sold_out_reason), (True, "stock"))
        self.send()
        self.assertFalse(self.food.available or self.sim_active(self.food))
        self.count(9, other.lot_stock_id)
        self.assertFalse(self.food.sold_out_until, "restocked elsewhere: still nothing to sell here")
        self.count(1)
        self.send()
        self.assertTrue(self.food.available and self.sim_active(self.food))

    def test_switching_the_setting_off_puts_the_dishes_back_on_sale(self):
        other = self.other_dish()
        other.product_tmpl_id.is_storable = True
        self.count(2)
        self.count(0)
        self.send()
        self.assertFalse(self.food.available or self.sim_active(self.food))
        self.product = other.product_tmpl_id.product_variant_id
        self.count(2)
        self.count(0)
        self.assertTrue(other.passive_requested, "not sent yet")
        self.env["res.config.settings"].create({"dukkango_sold_out_on_stock": False}).execute()
        self.assertEqual((other.passive_requested, other.sold_out_reason, other.available), (False, False, True))
        self.assertTrue(self.food.sold_out_until, "back on sale after the commit")
        self.send()
        self.assertEqual(self.state(), (True, False, False))
        self.assert_in_agreement(self.food | other)
        self.assertEqual(self.food_calls(), [("food-passive", self.food.food_id), ("food-active", self.food.food_id)])

    def test_setting_off_stock_is_ignored(self):
        self.env["res.config.settings"].create({"dukkango_sold_out_on_stock": False}).execute()
        self.count(0)
        self.send()
        self.assertEqual(self.food_calls(), [])
        self.assertTrue(self.food.available)


@tagged("post_install", "-at_install")
class TestSoldOutPosUi(DukkangoTillCase):
    """At the till: a Point of Sale manager sells a dish out; a cashier sees until when, nothing more."""

    def setUp(self):
        super().setUp()
        self.account.action_test_connection()
        action = self.main_pos_config.action_dukkango_import_menu()
        self.env[action["res_model"]].browse(action["res_id"]).action_apply()
        self.food = self.env["dukkango.food"].search([("restaurant_id.uuid", "=", REST_A), ("name", "=", "Ayran")])
        self.sim.requests.clear()

    def food_calls(self):
        return [r["endpoint"] for r in self.sim.request_log() if r["endpoint"] in FOOD_CALLS]

    def test_manager_sells_a_dish_out_from_the_till(self):
        self.main_pos_config.with_user(self.pos_admin).open_ui()
        self.start_pos_tour("DukkangoSoldOutTour", login="pos_admin")
        self.env.invalidate_all()
        self.assertEqual(self.food_calls(), ["food-passive", "food-active", "food-passive"])
        self.assertEqual((self.food.available, self.food.sold_out_reason), (False, "timer"))
        expected = self.food.with_user(self.pos_admin)._next_opening(fields.Datetime.now())
        self.assertLess(abs(self.food.sold_out_until - expected), timedelta(minutes=5), "until the next opening")
        ayran = next(f for f in self.sim.foods if f["food_id"] == self.food.food_id)
        self.assertFalse(ayran["active"])

    def test_cashier_sees_until_when_but_cannot_change_it(self):
        self.food.with_user(self.pos_admin).action_sold_out(minutes=45)
        self.main_pos_config.with_user(self.pos_user).open_ui()
        self.main_pos_config.current_session_id.set_opening_control(0, None)
        self.start_pos_tour("DukkangoSoldOutCashierTour", login="pos_user")
        with self.assertRaises(AccessError) as caught:
            self.food.with_user(self.pos_user).action_sold_out(minutes=30)
        self.assertIn("Only Point of Sale managers change what is sold on Dükkango", str(caught.exception))
        with self.assertRaises(AccessError):
            self.food.with_user(self.pos_user).action_set_available()
        self.assertEqual(self.food_calls(), ["food-passive"])
