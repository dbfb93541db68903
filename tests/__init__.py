from . import test_dukkango_account
