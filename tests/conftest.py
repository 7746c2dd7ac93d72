"""Fixtures every test folder may use (see tests/kit): the real Docker engine, the locally
built task images, and a local node pool (`make_pool` / `pool`, its roster chosen by the
folder's `pool_users` and `pool_options` fixtures)."""

from tests.kit.docker_images import docker_client, task_images  # noqa: F401
from tests.kit.pools import make_pool, pool, pool_options, pool_users  # noqa: F401
