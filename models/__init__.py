from . import dukkango_account, dukkango_order, pos_config, pos_order, pos_payment_method, pos_session, product_template
