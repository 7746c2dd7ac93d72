"""Key pairs and the worker config template the wizard offers.

The key maths is wireguard_tools' (imported where used, so a worker without a tunnel
never loads it); this module only adds validation and the HiveMind
defaults (pool network, keepalive) on top.
"""

from __future__ import annotations

from hivemind_desktop.core.i18n import QT_TRANSLATE_NOOP, say
from hivemind_desktop.core.vpn.config import (
    BAD_KEY,
    DEFAULT_ALLOWED_IPS,
    KEY_FIX,
    VpnConfigError,
    parse_config,
    valid_key,
)

PRIVATE_KEY = QT_TRANSLATE_NOOP("Core", "the private key")

# Workers sit behind home NATs while the pool dials *in*: a keepalive keeps the mapping open.
DEFAULT_KEEPALIVE_S = 25


def generate_keypair() -> tuple[str, str]:
    """A fresh (private, public) key pair, both base64 as wg(8) writes them."""
    from wireguard_tools import WireguardKey

    private = WireguardKey.generate()
    return str(private), str(private.public_key())


def public_key_of(private_key: str) -> str:
    """The public key that belongs to a private key; raises VpnConfigError if malformed."""
    key = valid_key(private_key.strip())
    if key is None:
        raise VpnConfigError(say(BAD_KEY, PRIVATE_KEY, KEY_FIX))
    from wireguard_tools import WireguardKey

    return str(WireguardKey(key).public_key())


def new_config_template(
    private_key: str,
    address: str,
    pool_public_key: str,
    endpoint: str,
    allowed_ips: str = DEFAULT_ALLOWED_IPS,
) -> str:
    """A worker config for the wizard to show and save; validated before it is returned."""
    text = "\n".join(
        [
            "[Interface]",
            f"PrivateKey = {private_key.strip()}",
            f"Address = {address.strip()}",
            "",
            "[Peer]",
            f"PublicKey = {pool_public_key.strip()}",
            f"AllowedIPs = {allowed_ips.strip()}",
            f"Endpoint = {endpoint.strip()}",
            f"PersistentKeepalive = {DEFAULT_KEEPALIVE_S}",
            "",
        ]
    )
    # Round-trip through the library's writer so the file is in its canonical form.
    return parse_config(text).to_text()
