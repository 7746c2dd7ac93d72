"""WireGuard for the worker: config validation and keys, tunnel control, state, reachability.

The node pool lives at 10.0.0.1 on the tunnel and dials the worker at its tunnel address,
so the worker must know for real whether the tunnel is up and which address to register.
Nothing here prompts or prints: every outcome is a value or a VpnError with a message
the GUI wizard can show as is.
"""

from hivemind_desktop.core.vpn.config import (
    DEFAULT_ALLOWED_IPS,
    DEFAULT_CONFIG_NAME,
    PeerInfo,
    TunnelConfig,
    VpnConfigError,
    VpnError,
    parse_config,
)
from hivemind_desktop.core.vpn.keys import generate_keypair, new_config_template, public_key_of
from hivemind_desktop.core.vpn.reachability import verify_pool_reachable
from hivemind_desktop.core.vpn.saving import save_config
from hivemind_desktop.core.vpn.state import (
    DEFAULT_INTERFACE,
    AddressChoice,
    VpnState,
    choose_advertise_address,
    detect_advertise_address,
    interface_state,
    wireguard_interfaces,
)
from hivemind_desktop.core.vpn.tunnel import (
    TunnelPlan,
    TunnelResult,
    bring_down,
    bring_up,
    tunnel_up_plan,
)

__all__ = [
    "DEFAULT_ALLOWED_IPS",
    "DEFAULT_CONFIG_NAME",
    "DEFAULT_INTERFACE",
    "AddressChoice",
    "PeerInfo",
    "TunnelConfig",
    "TunnelPlan",
    "TunnelResult",
    "VpnConfigError",
    "VpnError",
    "VpnState",
    "bring_down",
    "bring_up",
    "choose_advertise_address",
    "detect_advertise_address",
    "generate_keypair",
    "interface_state",
    "new_config_template",
    "parse_config",
    "public_key_of",
    "save_config",
    "tunnel_up_plan",
    "verify_pool_reachable",
    "wireguard_interfaces",
]
