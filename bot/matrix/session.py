"""Logging in so that a restart is the same device with the same encryption keys.

The device id (and, after a password login, the access token) are kept in
``store_path/credentials.json`` (mode 0600); nio keeps the Olm account and the Megolm
sessions in a SQLite store in the same directory, named after user and device. Logging in
with the password again on every start would create a new device each time, and people's
clients would have to share room keys with a growing list of dead devices.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from nio import (
    AsyncClient,
    AsyncClientConfig,
    KeysUploadError,
    LoginResponse,
    WhoamiError,
    WhoamiResponse,
)

from bot.config import MatrixConfig

log = logging.getLogger("salonbot.matrix.session")

CREDENTIALS_FILE = "credentials.json"


class LoginFailed(Exception):
    """The homeserver refused the bot's credentials; the message is one line for the operator."""


@dataclass(frozen=True)
class Credentials:
    homeserver: str
    user_id: str
    device_id: str
    access_token: str | None = None


def client_config() -> AsyncClientConfig:
    return AsyncClientConfig(
        encryption_enabled=True,
        # The sync position lives in the bot's database, stored only after a batch is handled.
        store_sync_tokens=False,
        max_limit_exceeded=None,  # wait out every M_LIMIT_EXCEEDED (see retry.py)
        max_timeouts=0,  # network errors surface at once; the runtime decides what to do
        request_timeout=60,
    )


def prepare_store(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def new_client(matrix: MatrixConfig) -> AsyncClient:
    store = prepare_store(Path(matrix.store_path))
    return AsyncClient(matrix.homeserver, matrix.user_id, store_path=str(store),
                       config=client_config())


def read_credentials(store: Path) -> Credentials | None:
    try:
        data = json.loads((store / CREDENTIALS_FILE).read_text(encoding="utf-8"))
        return Credentials(**data)
    except (OSError, ValueError, TypeError):
        return None


def write_credentials(store: Path, credentials: Credentials) -> None:
    path = store / CREDENTIALS_FILE
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(asdict(credentials), fh)
    os.replace(tmp, path)


async def log_in(client: AsyncClient, matrix: MatrixConfig) -> Credentials:
    """Log in (or restore the saved login) and upload the device keys if needed."""
    store = prepare_store(Path(matrix.store_path))
    if matrix.access_token is not None:
        credentials = await _with_access_token(client, matrix)
    else:
        credentials = await _with_password(client, matrix, read_credentials(store))
    write_credentials(store, credentials)
    await _check_device_keys(client)
    if client.should_upload_keys:
        response = await client.keys_upload()
        if isinstance(response, KeysUploadError):
            log.warning("could not upload the device keys yet: %s", response.status_code)
    return credentials


async def _check_device_keys(client: AsyncClient) -> None:
    """Upload the device keys again if the server has lost them.

    That happens when someone deletes the bot's device (a logout, or the session list in
    Element) and the bot logs in again with the same device id: without its keys on the
    server, nobody can encrypt for the bot any more.
    """
    if client.olm is None or not client.olm.account.shared:
        return
    response = await client.send(
        "POST", "/_matrix/client/v3/keys/query",
        json.dumps({"device_keys": {client.user_id: [client.device_id]}}),
        headers={"Authorization": f"Bearer {client.access_token}",
                 "Content-Type": "application/json"},
    )
    async with response:
        body = await response.json() if response.status == 200 else None
    if body is None:
        return
    if client.device_id not in body.get("device_keys", {}).get(client.user_id, {}):
        log.warning("the homeserver has no keys for device %s; uploading them again",
                    client.device_id)
        client.olm.account.shared = False


async def _whoami(client: AsyncClient) -> WhoamiResponse | WhoamiError:
    return await client.whoami()


async def _with_access_token(client: AsyncClient, matrix: MatrixConfig) -> Credentials:
    assert matrix.access_token is not None
    token = matrix.access_token.get_secret_value()
    client.access_token = token
    who = await _whoami(client)
    if isinstance(who, WhoamiError):
        raise LoginFailed(f"the homeserver did not accept matrix.access_token ({who})")
    if who.user_id != matrix.user_id:
        raise LoginFailed(
            f"matrix.access_token belongs to {who.user_id}, not to matrix.user_id "
            f"{matrix.user_id}"
        )
    if not who.device_id:
        raise LoginFailed("matrix.access_token has no device; create it with a login, "
                          "not as an admin-issued token")
    client.restore_login(matrix.user_id, who.device_id, token)
    log.info("logged in as %s with an access token, device %s", matrix.user_id, who.device_id)
    # The token itself stays in the configuration (or the environment), not in the store.
    return Credentials(matrix.homeserver, matrix.user_id, who.device_id)


async def _with_password(client: AsyncClient, matrix: MatrixConfig,
                         saved: Credentials | None) -> Credentials:
    assert matrix.password is not None
    reusable = (
        saved is not None and saved.homeserver == matrix.homeserver
        and saved.user_id == matrix.user_id
    )
    if reusable and saved is not None and saved.access_token:
        client.restore_login(saved.user_id, saved.device_id, saved.access_token)
        who = await _whoami(client)
        if isinstance(who, WhoamiResponse) and who.device_id == saved.device_id:
            log.info("resumed as %s, device %s", saved.user_id, saved.device_id)
            return saved
        log.info("the saved login of device %s is no longer valid; logging in again",
                 saved.device_id)
        client.access_token = ""
    if reusable and saved is not None:
        # Logging in with the known device id keeps the device, and so its encryption keys.
        client.device_id = saved.device_id
    response = await client.login(matrix.password.get_secret_value(),
                                  device_name=matrix.device_name)
    if not isinstance(response, LoginResponse):
        raise LoginFailed(f"the homeserver refused the login of {matrix.user_id} "
                          f"({response}); check matrix.password")
    log.info("logged in as %s, device %s", response.user_id, response.device_id)
    return Credentials(matrix.homeserver, matrix.user_id, response.device_id,
                       response.access_token)
