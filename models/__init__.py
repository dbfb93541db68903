from . import dukkango_account
