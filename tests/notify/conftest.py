"""A real SMTP server (aiosmtpd) on a free loopback port, which can be told to drop the
connection in the middle of a message, to refuse a recipient (an address that bounces) or to
refuse it for a while (a temporary 4xx answer, as a greylisting server gives), then accept it;
and a port where nothing listens (refused)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.store.conftest import Store, store  # noqa: F401 - the fixture


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Inbox:
    """What the server accepted; `drop_next` drops that many DATA commands (no reply: the
    connection is cut, as a crashing or overloaded server does)."""

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[list[str]] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)  # the bytes received, as they came
    drop_next: int = 0
    drop_after: int | None = None  # accept this many messages, then drop the next one
    unknown: set[str] = field(default_factory=set)  # recipients refused with 550 (a bounce)
    busy: dict[str, int] = field(default_factory=dict)  # refused with 451 this many times more
    tried: list[str] = field(default_factory=list)  # every recipient asked for, in order

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        self.tried.append(address)
        if address in self.unknown:
            return "550 5.1.1 <" + address + ">: utilisateur inconnu"
        if self.busy.get(address, 0) > 0:
            self.busy[address] -= 1
            return "451 4.7.1 <" + address + ">: essayez plus tard"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.drop_after is not None and len(self.messages) >= self.drop_after:
            self.drop_after = None
            server.transport.close()
            return "421 connexion coupée"
        if self.drop_next:
            self.drop_next -= 1
            server.transport.close()
            return "421 connexion coupée"
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        self.raw.append(envelope.content)
        self.envelopes.append(list(envelope.rcpt_tos))
        return "250 OK"


@dataclass
class Smtp:
    inbox: Inbox
    url: str


@pytest.fixture
def smtp() -> Iterator[Smtp]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield Smtp(inbox, f"smtp://127.0.0.1:{port}")
    finally:
        controller.stop()


@pytest.fixture
def refused_url() -> str:
    return f"smtp://127.0.0.1:{free_port()}"  # nothing listens there
