from . import test_dukkango_account, test_poll_pipeline
