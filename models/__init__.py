from . import dukkango_account
from . import dukkango_cancel_reason
from . import dukkango_food
from . import dukkango_line_pricing
from . import dukkango_menu_sync
from . import dukkango_order
from . import dukkango_order_actions
from . import dukkango_order_intake
from . import dukkango_payment_method
from . import dukkango_poll_cycle
from . import dukkango_pos_import
from . import dukkango_restaurant
from . import dukkango_watchdog
from . import pos_config
from . import pos_order
from . import pos_payment_method
from . import pos_session
from . import product_product
from . import product_template
from . import res_config_settings
from . import res_users
from . import stock_move

# the SQL-view reports last: their views read columns the models above add
from . import dukkango_order_report
from . import dukkango_settlement_report
