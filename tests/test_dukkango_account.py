# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import socket

from odoo.exceptions import AccessError, UserError
from odoo.modules.neutralize import get_neutralization_queries
from odoo.tests import new_test_user, tagged

from .common import DukkangoSimulatorCase


@tagged("post_install", "-at_install")
class TestDukkangoAccount(DukkangoSimulatorCase):
    def test_installed_with_menu_and_views(self):
        module = self.env["ir.module.module"].search([("name", "=", "pos_dukkango")])
        self.assertEqual(module.state, "installed")
        menu = self.env.ref("pos_dukkango.dukkango_account_menu")
        self.assertEqual(menu.parent_id, self.env.ref("point_of_sale.menu_point_config_product"))
        self.assertEqual(self.account.api_url, self.sim.base_url)
        default = self.env["dukkango.account"].create({"name": "Live"})
        self.assertEqual(default.api_url, "https://www.xn--dkkango-n2a.com/api/integrations")
        self.assertEqual(default.company_id, self.env.company)

    def test_connection_lists_restaurants_and_caches_token(self):
        action = self.account.action_test_connection()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("Halaskargazi Şube", action["params"]["message"])
        self.assertIn("Akat Şube", action["params"]["message"])
        self.assertIn(self.account.access_token, self.sim.tokens)
        self.assertTrue(self.account.token_expiry)
        # the cached token is used by the next client: no second login
        self.account._get_client().get_restaurants()
        self.assertEqual(len(self.sim.request_log("login")), 1)

    def test_connection_wrong_keys(self):
        self.account.rest_secret_key = "wrong-key"
        with self.assertRaisesRegex(UserError, "refused the keys"):
            self.account.action_test_connection()

    def test_connection_missing_keys(self):
        self.account.app_secret_key = False
        with self.assertRaisesRegex(UserError, "Enter the application and restaurant secret keys"):
            self.account.action_test_connection()
        self.assertEqual(self.sim.request_log(), [])

    def test_connection_unreachable_host(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.account.api_url = f"http://127.0.0.1:{port}/api/integrations"
        with self.assertRaisesRegex(UserError, "Cannot reach Dükkango"):
            self.account.action_test_connection()

    def test_connection_timeout(self):
        self.account.timeout = 1
        self.sim.inject_fault("login", "timeout")
        with self.assertRaisesRegex(UserError, "did not answer within 1 seconds"):
            self.account.action_test_connection()

    def test_connection_server_error(self):
        self.sim.inject_fault("restaurants", "500", 10)
        with self.assertRaisesRegex(UserError, "Internal server error"):
            self.account.action_test_connection()

    def test_changing_keys_forgets_token(self):
        self.account.action_test_connection()
        self.assertTrue(self.account.access_token)
        self.account.rest_secret_key = self.sim.rest_secret_key
        self.assertFalse(self.account.access_token)
        self.assertFalse(self.account.token_expiry)

    def test_pos_user_cannot_read_secrets(self):
        user = new_test_user(self.env, login="kasiyer", groups="point_of_sale.group_pos_user")
        account = self.account.with_user(user)
        self.assertEqual(account.read(["name"])[0]["name"], "Simülatör")
        for field in ("app_secret_key", "rest_secret_key", "access_token", "token_expiry"):
            with self.assertRaises(AccessError):
                account.read([field])
        with self.assertRaises(AccessError):
            account.write({"name": "x"})

    def test_pos_manager_manages_accounts_but_not_secrets(self):
        manager = new_test_user(self.env, login="mudur", groups="point_of_sale.group_pos_manager")
        account = self.env["dukkango.account"].with_user(manager).create({"name": "Şube 2"})
        with self.assertRaises(AccessError):  # the keys would go there: administrators only
            account.write({"api_url": "https://example.com/api/integrations/"})
        account.sudo().write({"api_url": "https://example.com/api/integrations/"})
        self.assertEqual(account.api_url, "https://example.com/api/integrations")
        with self.assertRaises(AccessError):
            account.read(["app_secret_key"])
        account.unlink()

    def test_multi_company_rule(self):
        other = self.env["res.company"].create({"name": "Başka Şirket"})
        user = new_test_user(
            self.env,
            login="baska",
            groups="point_of_sale.group_pos_manager",
            company_id=other.id,
            company_ids=[(6, 0, [other.id])],
        )
        visible = self.env["dukkango.account"].with_user(user).search([])
        self.assertNotIn(self.account, visible)

    def test_neutralize_blanks_secrets(self):
        self.account.action_test_connection()
        self.env.flush_all()
        queries = list(get_neutralization_queries(["pos_dukkango"]))
        self.assertEqual(len(queries), 1)
        self.env.cr.execute(queries[0])
        self.account.invalidate_recordset()
        self.assertFalse(self.account.app_secret_key)
        self.assertFalse(self.account.rest_secret_key)
        self.assertFalse(self.account.access_token)
        self.assertFalse(self.account.token_expiry)

    def test_turkish_translation(self):
        self.env["res.lang"]._activate_lang("tr_TR")
        self.env["ir.module.module"]._load_module_terms(["pos_dukkango"], ["tr_TR"], overwrite=True)
        field = self.env["ir.model.fields"]._get("dukkango.account", "rest_secret_key")
        self.assertEqual(field.with_context(lang="tr_TR").field_description, "Restoran Gizli Anahtarı")
        self.account.rest_secret_key = "yanlis"
        with self.assertRaisesRegex(UserError, "anahtarlarını reddetti"):
            self.account.with_context(lang="tr_TR").action_test_connection()
