"""What this computer has, as the shares are bounded by it.

The accountant caps the volunteer's shares at these totals (accountant.shared_totals);
the Settings page and the wizard bound their fields by the same numbers, so what the
page shows is what the worker lends.
"""

from __future__ import annotations

from dataclasses import dataclass

import psutil

GIB = 1024**3


@dataclass(frozen=True)
class Machine:
    cpu_cores: int  # logical cores, as the accountant counts them
    memory_gb: int  # whole GiB of RAM, rounded down like the accountant's cap

    def cores_left_free(self, shared: float) -> float:
        """BOINC's "leave N cores free": what the owner keeps with `shared` lent."""
        return max(0.0, self.cpu_cores - min(shared, self.cpu_cores))


def read_machine() -> Machine:
    return Machine(
        cpu_cores=psutil.cpu_count(logical=True) or 1,
        memory_gb=max(1, psutil.virtual_memory().total // GIB),
    )
