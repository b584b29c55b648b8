"""Network use seen at the system-call level: a command run under strace, its connections listed.

A Python-level socket block sees only what Python does; a native library (onnxruntime's C++
telemetry, libcurl inside libmediainfo, FFmpeg's protocols) calls connect() itself. strace -f
records every connect(), sendto() and sendmsg() of the process and its threads and children;
`outside_connections` keeps those that address anything but this machine: loopback, AF_UNIX
and AF_NETLINK (the kernel) are allowed, everything else is a failure, DNS included.

When the test runs as root it also starts the command in a fresh network namespace
(`unshare -n`), which has only a loopback device (brought up with `ip`, so local sockets work as
on a user's machine): nothing can leave even if a check were missed, and strace still records
the attempt.
"""

from __future__ import annotations

import ipaddress
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

STRACE = shutil.which("strace")
UNSHARE = shutil.which("unshare")
IP = shutil.which("ip")
TRACED = "connect,sendto,sendmsg"

_CALL = re.compile(r"^(?:\[pid\s+)?(\d+)\]?\s+(connect|sendto|sendmsg)\((.*)$")
_FAMILY = re.compile(r"sa_family=([^,}\s]+)")
_INET = re.compile(r'sin_addr=inet_addr\("([0-9.]+)"\)')
_INET6 = re.compile(r'inet_pton\(AF_INET6,\s*"([0-9a-fA-F:.]+)"')
_PORT = re.compile(r"sin6?_port=htons\((\d+)\)")
LOCAL_FAMILIES = {"AF_UNIX", "AF_LOCAL", "AF_NETLINK", "AF_UNSPEC"}


@dataclass(frozen=True)
class Traced:
    """One command's run under strace."""

    returncode: int
    stdout: str
    stderr: str
    calls: list[str]  # every traced connect/sendto/sendmsg line
    outside: list[str]  # the ones addressed beyond this machine
    namespace: bool  # run inside its own network namespace


def strace_works() -> bool:
    """Whether strace is installed and allowed to trace here (ptrace may be forbidden)."""
    if STRACE is None:
        return False
    probe = subprocess.run(
        [STRACE, "-f", "-qq", "-e", "trace=connect", "-o", os.devnull, "true"],
        capture_output=True,
        timeout=30,
        check=False,
    )
    return probe.returncode == 0


def namespace_prefix() -> list[str]:
    """The command that starts what follows in a network namespace with only loopback, up."""
    assert UNSHARE is not None
    if IP is None:
        return [UNSHARE, "-n"]
    return [UNSHARE, "-n", "sh", "-c", f'"{IP}" link set lo up && exec "$@"', "sh"]


def namespace_works() -> bool:
    """Whether `unshare -n` can give a command a network namespace of its own (root only)."""
    if UNSHARE is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(
        [*namespace_prefix(), "true"], capture_output=True, timeout=30, check=False
    )
    return probe.returncode == 0


def _is_local(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    mapped = getattr(ip, "ipv4_mapped", None)
    return bool((mapped or ip).is_loopback)


def outside_connections(lines: list[str]) -> list[str]:
    """The traced calls that address something beyond this machine (DNS included).

    A connect() is allowed only when its address is recognisably local; an address strace could
    not decode counts as outside. sendto()/sendmsg() without an address go to the peer their
    connect() named, which was checked there.
    """
    found = []
    for line in lines:
        match = _CALL.match(line.strip())
        if match is None:
            continue
        call, args = match.group(2), match.group(3)
        family = _FAMILY.search(args)
        if family is None:
            if call == "connect":
                found.append(line.strip())
            continue
        if family.group(1) in LOCAL_FAMILIES:
            continue
        address = _INET.search(args) or _INET6.search(args)
        if address is not None and _is_local(address.group(1)):
            continue
        found.append(line.strip())
    return found


def run_traced(
    argv: list[str],
    log: Path,
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 120,
    namespace: bool = True,
) -> Traced:
    """Run argv under `strace -f` (in its own network namespace when possible)."""
    assert STRACE is not None
    in_namespace = namespace and namespace_works()
    prefix = namespace_prefix() if in_namespace else []
    command = [*prefix, STRACE, "-f", "-qq", "-s", "64", "-e", f"trace={TRACED}", "-o", str(log)]
    done = subprocess.run(
        [*command, *argv],
        capture_output=True,
        text=True,
        errors="replace",
        env=env,
        cwd=cwd,
        timeout=timeout,
        check=False,
    )
    calls = [
        line
        for line in log.read_text(errors="replace").splitlines()
        if _CALL.match(line.strip()) and "resumed>" not in line
    ]
    return Traced(
        done.returncode, done.stdout, done.stderr, calls, outside_connections(calls), in_namespace
    )
