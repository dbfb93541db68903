# Copyright 2026 pos_dukkango contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Dükkango for Point of Sale",
    "summary": "Receive Dükkango food-delivery orders in Odoo Point of Sale",
    "version": "18.0.1.2.0",
    "category": "Sales/Point of Sale",
    "website": "https://github.com/pos-dukkango/pos_dukkango",
    "author": "pos_dukkango contributors",
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "depends": ["point_of_sale", "resource"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/dukkango_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/mail_activity_type_data.xml",
        "data/product_data.xml",
        "views/dukkango_account_views.xml",
        "views/dukkango_order_views.xml",
        "views/dukkango_food_views.xml",
        "views/pos_config_views.xml",
        "views/pos_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/dukkango_wizard_views.xml",
        "views/dukkango_report_views.xml",
    ],
    "assets": {
        "point_of_sale._assets_pos": [
            "pos_dukkango/static/src/app/**/*",
        ],
        "web.assets_tests": [
            "pos_dukkango/static/tests/tours/**/*",
        ],
    },
    "post_init_hook": "post_init_hook",
}
