-- a neutralized copy must never talk to the live Dükkango account
UPDATE dukkango_account
   SET app_secret_key = NULL,
       rest_secret_key = NULL,
       access_token = NULL,
       token_expiry = NULL;
