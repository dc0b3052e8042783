"""E-mail: the SMTP connection from `CASEFILE_SMTP_URL` (`smtp.py`), the French reminder
messages in plain text and HTML (`messages.py`) and the signed one-click unsubscribe links
(`unsubscribe.py`). What to send and to whom is decided in `casefile.services.reminders`."""
