"""A configured URL's password is never printed: refusals of `CASEFILE_SMTP_URL` and the
URLs `casefile init` reports show « *** » in its place."""

from __future__ import annotations

import pytest

from casefile.errors import InputError
from casefile.notify.smtp import SmtpConfig
from casefile.settings import shown_url


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql://casefile:s3cret@db:5432/casefile",
            "postgresql://casefile:***@db:5432/casefile",
        ),
        (
            "smtp://relances%40x.fr:p%3Aw@mail:587?starttls=1",
            "smtp://relances%40x.fr:***@mail:587?starttls=1",
        ),
        ("smtp://mail.example:25", "smtp://mail.example:25"),
        ("sqlite:///var/casefile.db", "sqlite:///var/casefile.db"),
        ("file:///srv/evidence", "file:///srv/evidence"),
    ],
)
def test_shown_url_hides_the_password_only(url: str, shown: str) -> None:
    assert shown_url(url) == shown


def test_a_refused_smtp_url_does_not_print_its_password() -> None:
    with pytest.raises(InputError) as port:
        SmtpConfig.from_url("smtp://relances:s3cret@mail:99999")
    assert str(port.value) == "CASEFILE_SMTP_URL « smtp://relances:***@mail:99999 » : port invalide"
    with pytest.raises(InputError) as scheme:
        SmtpConfig.from_url("http://relances:s3cret@mail")
    assert "s3cret" not in str(scheme.value)
    assert str(scheme.value).startswith("CASEFILE_SMTP_URL « http://relances:***@mail » : attendu")
