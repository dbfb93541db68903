from . import test_dukkango_account
from . import test_poll_pipeline
from . import test_backend
from . import test_bad_input
from . import test_pos_ui
from . import test_store_status
from . import test_menu_import
from . import test_hardening
