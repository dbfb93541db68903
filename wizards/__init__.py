from . import dukkango_order_wizard_mixin
from . import dukkango_accept_wizard
from . import dukkango_cancel_wizard
from . import dukkango_menu_import_wizard
