"""Failed-login limits in Redis, per account and per client address (fixed windows, ADR 0009).

Every attempt is counted *before* the password is checked, in one atomic script, so parallel
guesses cannot slip past the limit; a success then clears the account's counter and gives
back its place in the address's counter, so only failures (and refused attempts) remain."""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from redis.asyncio import Redis

from infra.http.problems import Problem
from infra.settings import Settings
from services.accounts import InvalidCredentials
from services.login_security import SecretRejected

T = TypeVar("T")
_PREFIX = "barometre:login-failures:"
# Counts one attempt on each key; a key gets the window as TTL when it has none (new key).
_ATTEMPT = """
local out = {}
for i, key in ipairs(KEYS) do
  local n = redis.call('INCR', key)
  if redis.call('TTL', key) < 0 then redis.call('EXPIRE', key, ARGV[1]) end
  out[i] = {n, redis.call('TTL', key)}
end
return out
"""
# Gives an attempt back: the counter goes down but never below zero, its TTL kept.
_RELEASE = """
for _, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') > 0 then redis.call('DECR', key) end
end
return 0
"""
# What a wrong secret raises: a failed login, or a wrong current password or code.
COUNTED = (InvalidCredentials, SecretRejected)


def account_key(organization: str, login: str) -> str:
    """The same person however they type it (case, spaces); hashed, so no login is in Redis."""
    who = f"{organization.strip().lower()}\n{login.strip().lower()}"
    return "account:" + hashlib.sha256(who.encode()).hexdigest()


def user_key(user_id: object) -> str:
    """A logged-in user proving a secret again (password change, TOTP confirm or disable)."""
    return f"user:{user_id}"


def address_key(host: str | None) -> str:
    """An IPv6 client is counted by its /64, which one subscriber usually holds whole."""
    try:
        address = ipaddress.ip_address(host or "")
    except ValueError:
        return f"ip:{host}"
    if address.version == 6:
        return f"ip:{ipaddress.ip_network(f'{address}/64', strict=False)}"
    return f"ip:{address}"


@dataclass(frozen=True)
class LoginLimiter:
    redis: Redis
    max_per_account: int
    max_per_address: int
    window_seconds: int

    @classmethod
    def of(cls, redis: Redis, settings: Settings) -> LoginLimiter:
        return cls(redis, settings.login_max_failures_per_account,
                   settings.login_max_failures_per_ip, settings.login_failure_window_seconds)

    async def attempt(self, account: str, address: str) -> int:
        """Counts an attempt; 0 if it may go ahead, else the seconds to wait (Retry-After)."""
        counted = await self.redis.eval(_ATTEMPT, 2, _PREFIX + account, _PREFIX + address,
                                        self.window_seconds)
        (on_account, account_ttl), (on_address, address_ttl) = counted
        waits = [0]
        if on_account > self.max_per_account:
            waits.append(max(int(account_ttl), 1))
        if on_address > self.max_per_address:
            waits.append(max(int(address_ttl), 1))
        return max(waits)

    async def succeeded(self, account: str, address: str) -> None:
        await self.redis.delete(_PREFIX + account)
        await self.release(address)

    async def release(self, *keys: str) -> None:
        """An attempt that did not test a secret (e.g. the database was down) is not counted."""
        await self.redis.eval(_RELEASE, len(keys), *(_PREFIX + k for k in keys))

    async def guard(self, account: str, address: str, attempt: Callable[[], Awaitable[T]]) -> T:
        """Runs `attempt` unless a limit is reached (429); a wrong secret stays counted."""
        if wait := await self.attempt(account, address):
            raise Problem(429, "too-many-attempts",
                          f"too many failed attempts; try again in {_minutes(wait)}",
                          headers={"Retry-After": str(wait)})
        try:
            result = await attempt()
        except COUNTED:
            raise
        except BaseException:
            await self.release(account, address)
            raise
        await self.succeeded(account, address)
        return result


def _minutes(seconds: int) -> str:
    return f"{seconds} seconds" if seconds < 120 else f"{-(-seconds // 60)} minutes"
