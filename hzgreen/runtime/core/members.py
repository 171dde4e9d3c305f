"""What the core reads of the member list: each member's uuid and address."""

from __future__ import annotations

import uuid
from typing import Optional, Protocol


class MemberAddress(Protocol):
    """A member's address, as the member list gives it."""

    @property
    def host(self) -> str: ...

    @property
    def port(self) -> int: ...


class Member(Protocol):
    """A member of the member list (``hzgreen.protocol.custom.MemberInfo`` is one)."""

    @property
    def uuid(self) -> Optional[uuid.UUID]: ...

    @property
    def address(self) -> MemberAddress: ...
