"""Which runtime isolates a task: the setting, the runtimes the engine lists and the
task's network as input (the real engine's answer is tested in tests/integration)."""

from __future__ import annotations

import pytest

from hivemind_desktop.core.task_runtime import (
    FIX_ENABLE,
    RUNC,
    RUNSC,
    choose,
    describe,
    host_pids_limit,
    summary,
    usable_runtimes,
)

WITH_GVISOR = {"runc", "runsc"}
WITHOUT = {"runc"}


@pytest.mark.parametrize(
    ("preference", "engine", "network", "expected"),
    [
        ("auto", WITH_GVISOR, False, RUNSC),
        ("auto", WITHOUT, False, RUNC),
        ("auto", WITH_GVISOR, True, RUNC),  # the runsc entry has --network=none
        ("runsc", WITH_GVISOR, False, RUNSC),
        ("runc", WITH_GVISOR, False, RUNC),
        ("runc", WITH_GVISOR, True, RUNC),
        ("runc", set(), False, RUNC),
    ],
)
def test_choice(preference: str, engine: set[str], network: bool, expected: str) -> None:
    choice = choose(preference, engine, network=network)
    assert (choice.runtime, choice.problem) == (expected, "")


def test_runsc_required_but_missing_refuses_with_the_fix() -> None:
    choice = choose("runsc", WITHOUT, network=False)
    assert choice.runtime == ""
    assert "gVisor (runsc) is not available" in choice.problem
    assert FIX_ENABLE in choice.problem and "HIVEMIND_TASK_RUNTIME=auto" in choice.problem
    assert "\n" not in choice.problem


def test_runsc_required_refuses_a_task_with_a_network() -> None:
    choice = choose("runsc", WITH_GVISOR, network=True)
    assert choice.runtime == ""
    assert "asks for a network" in choice.problem
    assert "DOCKER_NETWORK=none" in choice.problem


def test_unknown_preference_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="use auto, runsc or runc"):
        choose("kata", WITH_GVISOR, network=False)


def test_summary_names_the_isolation_and_the_way_to_gvisor() -> None:
    assert summary("auto", WITH_GVISOR) == (
        True,
        "gVisor (runsc): each task runs on its own kernel in a sandbox",
    )
    ok, text = summary("auto", WITHOUT)
    assert ok and text.startswith("runc: tasks share this computer's kernel") and FIX_ENABLE in text
    assert summary("runc", WITH_GVISOR)[1].startswith("runc (HIVEMIND_TASK_RUNTIME=runc)")
    ok, text = summary("runsc", WITHOUT)
    assert not ok and "is not available" in text


def test_descriptions_and_pids_allowance() -> None:
    assert describe(RUNSC).startswith("gVisor (runsc)")
    assert describe(RUNC).startswith("runc")
    assert describe(None) == "not started"
    assert host_pids_limit(RUNC, 256) == 256
    # gVisor: the sandbox's own threads count in the host cgroup as well
    assert host_pids_limit(RUNSC, 256) > 256 * 4
    assert host_pids_limit(RUNSC, 32) > host_pids_limit(RUNSC, 16)


def test_listed_runtimes_whose_binary_is_missing_do_not_count(tmp_path) -> None:
    """Podman lists every runtime it knows; a local engine's runsc counts only where its
    binary is there (a real file here; an engine in a VM is taken at its word)."""
    installed = tmp_path / "runsc"
    installed.write_text("")
    listed = {
        "runc": {"path": "runc"},  # a bare name: the engine finds it on its PATH
        "runsc": {"path": str(installed), "runtimeArgs": ["--network=none"]},
        "kata": {"path": str(tmp_path / "kata-runtime")},  # not installed
    }
    assert usable_runtimes(listed, local=True) == {"runc", "runsc"}
    assert usable_runtimes(listed, local=False) == {"runc", "runsc", "kata"}
    installed.unlink()
    assert usable_runtimes(listed, local=True) == {"runc"}
    assert choose("auto", usable_runtimes(listed, local=True), network=False).runtime == RUNC


def test_runsc_counts_only_as_enable_gvisor_registers_it() -> None:
    """Without --network=none this gVisor refuses to start (Podman lists a bare runsc)."""
    bare = {"runc": {"path": "runc"}, "runsc": {"path": "runsc"}}
    assert usable_runtimes(bare, local=True) == {"runc"}
    registered = {**bare, "runsc": {"path": "runsc", "runtimeArgs": ["--network=none"]}}
    assert usable_runtimes(registered, local=True) == {"runc", "runsc"}
