"""Settings: defaults < TOML file < environment < flags, the seed's variable names, one-line
errors for bad values, and a config file that never holds a password."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from hivemind_desktop.core.peers import resolve_allowed_peers
from hivemind_desktop.core.settings import Settings, SettingsError, load, save

NO_FILE = Path("/nonexistent/hivemind-test/config.toml")


def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_keep_the_seed_values() -> None:
    s = load(env={}, config_file=NO_FILE)
    assert s.node_port == 50053
    assert s.master_address == "10.0.0.1:50051"
    assert s.max_concurrent_tasks == 3
    assert s.session_timeout_h == 24
    assert s.trust_threshold == 50
    assert s.status_port == 5000
    assert s.docker_enabled is True
    assert s.docker_network == "none"
    assert s.node_id == ""
    assert s.task_runtime == "auto"  # gVisor where the engine has it
    assert s.max_cpu_cores > 0 and s.max_memory_gb >= 1
    # the node pool's host is the only allowed caller unless told otherwise
    assert resolve_allowed_peers(s).peers == ("10.0.0.1",)


@pytest.mark.parametrize(
    ("env_name", "text", "field", "expected"),
    [
        ("NODE_PORT", "6001", "node_port", 6001),
        ("MASTER_ADDRESS", "192.168.1.9:7000", "master_address", "192.168.1.9:7000"),
        ("NODE_ID", "node-7", "node_id", "node-7"),
        ("DOCKER_ENABLED", "false", "docker_enabled", False),
        ("DOCKER_ENABLED", "1", "docker_enabled", True),
        ("DOCKER_NETWORK", "bridge", "docker_network", "bridge"),
        ("MAX_CPU_CORES", "1.5", "max_cpu_cores", 1.5),
        ("MAX_MEMORY_GB", "3", "max_memory_gb", 3),
        ("MAX_CONCURRENT_TASKS", "5", "max_concurrent_tasks", 5),
        ("SESSION_TIMEOUT", "2.5", "session_timeout_h", 2.5),
        ("TRUST_THRESHOLD", "70", "trust_threshold", 70),
        ("FLASK_PORT", "0", "status_port", 0),
        ("HIVEMIND_USERNAME", "carol", "username", "carol"),
        ("HIVEMIND_PASSWORD", "s3cret pw", "password", "s3cret pw"),
        ("HIVEMIND_ADVERTISE_ADDRESS", "10.0.0.7", "advertise_address", "10.0.0.7"),
        (
            "HIVEMIND_ALLOWED_PEERS",
            "10.0.0.1, 10.8.0.0/16",
            "allowed_peers",
            ("10.0.0.1", "10.8.0.0/16"),
        ),
        (
            "HIVEMIND_TASK_IMAGE",
            "hivemind/task-busybox:latest",
            "task_image",
            "hivemind/task-busybox:latest",
        ),
        ("HIVEMIND_TASK_DISK_MB", "64", "task_disk_budget_mb", 64),
        ("HIVEMIND_LANGUAGE", "zh_TW", "language", "zh_TW"),
        ("HIVEMIND_TASK_RUNTIME", "runsc", "task_runtime", "runsc"),
        ("HIVEMIND_TASK_RUNTIME", " RunC ", "task_runtime", "runc"),
    ],
)
def test_environment_variables_keep_their_names(
    env_name: str, text: str, field: str, expected: object
) -> None:
    s = load(env={env_name: text}, config_file=NO_FILE)
    assert getattr(s, field) == expected


def test_precedence_defaults_file_environment_flags(tmp_path: Path) -> None:
    config = write_config(tmp_path, "node_port = 6000\nmax_concurrent_tasks = 2\n")
    env = {"NODE_PORT": "7000"}
    flags = {"node_port": "8000"}

    assert load(env={}, config_file=NO_FILE).node_port == 50053
    assert load(env={}, config_file=config).node_port == 6000
    assert load(env=env, config_file=config).node_port == 7000
    s = load(flags=flags, env=env, config_file=config)
    assert s.node_port == 8000
    # a value only the file sets survives the higher sources that do not mention it
    assert s.max_concurrent_tasks == 2


def test_empty_environment_value_and_none_flag_do_not_override(tmp_path: Path) -> None:
    config = write_config(tmp_path, "node_port = 6000\n")
    s = load(flags={"node_port": None}, env={"NODE_PORT": ""}, config_file=config)
    assert s.node_port == 6000


@pytest.mark.parametrize(
    ("env_name", "text", "allowed"),
    [
        ("NODE_PORT", "abc", "a port from 1 to 65535"),
        ("NODE_PORT", "0", "a port from 1 to 65535"),
        ("NODE_PORT", "70000", "a port from 1 to 65535"),
        ("MASTER_ADDRESS", "10.0.0.1", "HOST:PORT"),
        ("MASTER_ADDRESS", "10.0.0.1:", "HOST:PORT"),
        ("MASTER_ADDRESS", ":50051", "HOST:PORT"),
        ("DOCKER_ENABLED", "maybe", "true or false"),
        ("MAX_CPU_CORES", "0", "a number of cores above 0"),
        ("MAX_CPU_CORES", "-2", "a number of cores above 0"),
        ("MAX_CPU_CORES", "many", "a number of cores above 0"),
        ("MAX_CPU_CORES", "nan", "a number of cores above 0"),
        ("MAX_MEMORY_GB", "0", "a whole number of GiB of at least 1"),
        ("MAX_MEMORY_GB", "1.5", "a whole number of GiB of at least 1"),
        ("MAX_CONCURRENT_TASKS", "0", "a whole number from 1 to 64"),
        ("MAX_CONCURRENT_TASKS", "65", "a whole number from 1 to 64"),
        ("SESSION_TIMEOUT", "0", "a number of hours above 0"),
        ("SESSION_TIMEOUT", "-1", "a number of hours above 0"),
        ("SESSION_TIMEOUT", "nan", "a number of hours above 0"),
        # int(inf * 3600 * 1000) in the GUI's session timer raises OverflowError
        ("SESSION_TIMEOUT", "inf", "a number of hours above 0"),
        ("TRUST_THRESHOLD", "101", "a whole number from 0 to 100"),
        ("TRUST_THRESHOLD", "-1", "a whole number from 0 to 100"),
        ("FLASK_PORT", "-1", "a port from 1 to 65535, or 0 for off"),
        ("FLASK_PORT", "65536", "a port from 1 to 65535, or 0 for off"),
        ("HIVEMIND_ADVERTISE_ADDRESS", "not-an-ip", "an IP address"),
        ("HIVEMIND_ALLOWED_PEERS", "10.0.0.1,bogus", "comma-separated IP addresses"),
        ("HIVEMIND_LANGUAGE", "fr", "en, zh_TW"),
        ("HIVEMIND_TASK_DISK_MB", "0", "MiB, at least 1"),
        ("HIVEMIND_PIDS_LIMIT", "5", "a whole number from 16 to 65536"),
        ("HIVEMIND_TASK_TIME_LIMIT", "0", "seconds, at least 1"),
        ("HIVEMIND_TASK_RUNTIME", "gvisor", "auto (gVisor where installed, else runc), runsc"),
    ],
)
def test_bad_environment_value_is_one_line_naming_variable_and_allowed(
    env_name: str, text: str, allowed: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        load(env={env_name: text}, config_file=NO_FILE)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{env_name}=")
    assert allowed in message
    assert "environment" in message


def test_bad_value_in_config_file_names_the_setting_and_the_file(tmp_path: Path) -> None:
    config = write_config(tmp_path, 'max_concurrent_tasks = "lots"\n')
    with pytest.raises(SettingsError) as caught:
        load(env={}, config_file=config)
    message = str(caught.value)
    assert "\n" not in message
    assert "max_concurrent_tasks" in message and str(config) in message
    assert "a whole number from 1 to 64" in message


def test_bool_is_not_a_number_in_the_config_file(tmp_path: Path) -> None:
    config = write_config(tmp_path, "max_memory_gb = true\n")
    with pytest.raises(SettingsError, match="max_memory_gb"):
        load(env={}, config_file=config)


def test_unknown_key_in_config_file_is_refused(tmp_path: Path) -> None:
    config = write_config(tmp_path, "node_port = 6000\nnode_prot = 6001\n")
    with pytest.raises(SettingsError, match="unknown setting 'node_prot'"):
        load(env={}, config_file=config)


def test_password_in_config_file_is_refused(tmp_path: Path) -> None:
    config = write_config(tmp_path, 'password = "hunter2-in-a-file"\n')
    with pytest.raises(SettingsError) as caught:
        load(env={}, config_file=config)
    assert "keyring" in str(caught.value)
    assert "hunter2-in-a-file" not in str(caught.value)


def test_malformed_config_file_is_one_line(tmp_path: Path) -> None:
    config = write_config(tmp_path, "node_port = = 5\n")
    with pytest.raises(SettingsError) as caught:
        load(env={}, config_file=config)
    assert "\n" not in str(caught.value)
    assert "cannot be read" in str(caught.value)


def test_bad_flag_names_the_setting_and_the_command_line() -> None:
    with pytest.raises(SettingsError) as caught:
        load(flags={"node_port": "x"}, env={}, config_file=NO_FILE)
    assert "node_port" in str(caught.value) and "command line" in str(caught.value)
    with pytest.raises(SettingsError, match="unknown setting 'nope'"):
        load(flags={"nope": "1"}, env={}, config_file=NO_FILE)


def test_replace_validates_like_any_source() -> None:
    s = load(env={}, config_file=NO_FILE)
    with pytest.raises(SettingsError, match="max_concurrent_tasks"):
        s.replace(max_concurrent_tasks=0)
    assert s.replace(max_concurrent_tasks=4).max_concurrent_tasks == 4


def test_password_stays_out_of_repr_and_public_dict() -> None:
    s = load(env={"HIVEMIND_PASSWORD": "pw-never-shown"}, config_file=NO_FILE)
    assert "pw-never-shown" not in repr(s)
    assert "password" not in s.public_dict()
    assert "pw-never-shown" not in str(s.public_dict())


def test_save_round_trip_writes_only_non_defaults_and_no_password(tmp_path: Path) -> None:
    config = tmp_path / "sub" / "config.toml"
    s = load(
        flags={
            "node_port": "6100",
            "allowed_peers": "10.0.0.1,10.9.0.0/16",
            "language": "zh_TW",
        },
        env={"HIVEMIND_PASSWORD": "hunter2-saved?", "HIVEMIND_USERNAME": "carol"},
        config_file=NO_FILE,
    )
    s = s.replace(docker_enabled=False, session_timeout_h=1.5)
    assert save(s, config) == config

    text = config.read_text(encoding="utf-8")
    assert "hunter2-saved?" not in text and "password" not in text
    assert set(tomllib.loads(text)) == {
        "node_port",
        "allowed_peers",
        "language",
        "docker_enabled",
        "session_timeout_h",
    }
    again = load(env={}, config_file=config)
    assert again == s.replace(password="", username="")
    assert not list(config.parent.glob("*.tmp"))


def test_save_of_defaults_writes_an_empty_file_that_loads(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    save(Settings(), config)
    assert tomllib.loads(config.read_text(encoding="utf-8")) == {}
    assert load(env={}, config_file=config) == Settings()


def test_a_config_file_of_an_earlier_release_keeps_its_status_api_port(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("status_port = 5055\n", encoding="utf-8")
    assert load(env={}, config_file=config).status_port == 5055
