"""The seccomp filter bwrap loads (`--seccomp FD`) before the sandboxed code starts.

Built with pyseccomp (ctypes over the system's libseccomp, API-compatible with libseccomp's own
Python bindings): libseccomp resolves syscall numbers per architecture and emits correct BPF, so no
hand-written filter has to track kernel numbering. Calls outside the native architecture (e.g.
32-bit `int 0x80` on x86-64) are killed by libseccomp's default bad-arch action.
"""

from __future__ import annotations

import errno
import os
import tempfile
from functools import cache

#: Syscalls nothing in the sandbox needs, and that an escape would: namespaces and mounts,
#: tracing other processes, kernel keyrings, BPF, perf, modules, kexec, swap, reboot, io_uring
#: (it bypasses seccomp for the calls it queues), userfaultfd, raw handles into the host filesystem.
DENIED = (
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "unshare",
    "setns",
    "move_mount",
    "open_tree",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "mount_setattr",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kcmp",
    "pidfd_getfd",
    "keyctl",
    "add_key",
    "request_key",
    "bpf",
    "perf_event_open",
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "reboot",
    "swapon",
    "swapoff",
    "acct",
    "quotactl",
    "syslog",
    "settimeofday",
    "clock_settime",
    "clock_adjtime",
    "adjtimex",
    "sethostname",
    "setdomainname",
    "vhangup",
    "open_by_handle_at",
    "name_to_handle_at",
    "lookup_dcookie",
    "userfaultfd",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "personality",
    "iopl",
    "ioperm",
    # memory that no process maps is in no RSS and past RLIMIT_AS: without a cgroup it would escape the
    # sandbox's memory limit (SysV shared memory and message queues live on until the IPC namespace ends)
    "shmget",
    "msgget",
    "memfd_create",
)

#: clone() flags that would make new namespaces.
_NAMESPACE_FLAGS = (
    0x00020000,  # CLONE_NEWNS
    0x02000000,  # CLONE_NEWCGROUP
    0x04000000,  # CLONE_NEWUTS
    0x08000000,  # CLONE_NEWIPC
    0x10000000,  # CLONE_NEWUSER
    0x20000000,  # CLONE_NEWPID
    0x40000000,  # CLONE_NEWNET
)
_TIOCSTI = 0x5412  # push characters into a terminal's input
_TIOCLINUX = 0x541C


@cache
def compiled_filter() -> tuple[bytes | None, str]:
    """(BPF program, "ok") or (None, why it cannot be built here)."""
    try:
        import pyseccomp as seccomp
    except (ImportError, OSError) as exc:  # OSError: libseccomp.so.2 itself is missing
        return None, f"no seccomp: {exc} (install libseccomp2 and the pyseccomp package)"
    try:
        rules = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        deny = seccomp.ERRNO(errno.EPERM)
        for name in DENIED:
            try:
                rules.add_rule(deny, name)
            except (ValueError, OSError, RuntimeError):
                continue  # not a syscall on this architecture
        # clone3 passes its flags in memory, where seccomp cannot look: say it does not exist, so
        # libc falls back to clone(), whose flags are checked below
        rules.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
        for flag in _NAMESPACE_FLAGS:
            rules.add_rule(deny, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
        for request in (_TIOCSTI, _TIOCLINUX):
            rules.add_rule(deny, "ioctl", seccomp.Arg(1, seccomp.MASKED_EQ, 0xFFFFFFFF, request))
        with tempfile.TemporaryFile() as handle:
            rules.export_bpf(handle)
            handle.seek(0)
            program = handle.read()
    except Exception as exc:  # libseccomp refused: no filter, so no sandbox
        return None, f"no seccomp: building the filter failed ({type(exc).__name__}: {exc})"
    return program, "ok"


def filter_fd(program: bytes) -> int:
    """A readable descriptor holding the program, for `bwrap --seccomp FD` (the caller closes it)."""
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, program)  # a few KiB: fits the pipe's buffer
    finally:
        os.close(write_end)
    return read_end
