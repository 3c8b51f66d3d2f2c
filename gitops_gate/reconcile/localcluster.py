"""A throwaway control plane: the pinned etcd and kube-apiserver on loopback ports.

For the tests (once per session, as controller-runtime's envtest does) and `gitops-gate demo`;
stopped by PID. No controllers run: whoever needs a rollout writes the status subresource.
"""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from gitops_gate._run import run
from gitops_gate.errors import EnvironmentProblem

# Only valid for the throwaway apiserver on loopback, which lives as long as the demo or tests.
ADMIN_TOKEN = "gitops-gate-test-admin-token"  # noqa: S105
_READY_TIMEOUT = 60.0


@dataclass
class ControlPlane:
    """A running etcd + kube-apiserver pair and how to reach it."""

    folder: Path
    url: str
    ca: Path
    kubeconfig: Path
    pids: list[int]

    def stop(self) -> None:
        """Stop both servers by their process group (each was started in a session of its own)."""
        for pid in reversed(self.pids):
            try:
                os.killpg(pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            _wait_gone(pid)


def start(folder: Path, etcd: Path, apiserver: Path) -> ControlPlane:
    """Start etcd and kube-apiserver with state and certificates in folder; ready when returned."""
    folder.mkdir(parents=True, exist_ok=True)
    client, peer, secure = _free_ports(3)
    _certificates(folder)
    (folder / "tokens.csv").write_text(f"{ADMIN_TOKEN},admin,admin-uid,system:masters\n")
    pids = [_spawn(_etcd_argv(etcd, folder, client, peer), folder / "etcd.log")]
    try:
        pids.append(_spawn(_apiserver_argv(apiserver, folder, client, secure), folder / "api.log"))
        url = f"https://127.0.0.1:{secure}"
        plane = ControlPlane(folder, url, folder / "ca.crt", folder / "kubeconfig", pids)
        _wait_ready(plane)
    except BaseException:
        ControlPlane(folder, "", folder, folder, pids).stop()
        raise
    plane.kubeconfig.write_text(kubeconfig(url, plane.ca, ADMIN_TOKEN))
    return plane


def kubeconfig(url: str, ca: Path, token: str) -> str:
    """A kubeconfig for url as user token (JSON is YAML, so no dumper is needed)."""
    return (
        '{"apiVersion": "v1", "kind": "Config", "current-context": "test",'
        f' "clusters": [{{"name": "test", "cluster": {{"server": "{url}",'
        f' "certificate-authority": "{ca}"}}}}],'
        f' "users": [{{"name": "test", "user": {{"token": "{token}"}}}}],'
        ' "contexts": [{"name": "test", "context": {"cluster": "test", "user": "test"}}]}\n'
    )


def _free_ports(count: int) -> list[int]:
    socks = [socket.socket() for _ in range(count)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _certificates(folder: Path) -> None:
    """A self-signed serving certificate for 127.0.0.1 (also the client CA) and SA keys."""
    run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", folder / "ca.key", "-out", folder / "ca.crt", "-days", "2",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
        timeout=60,
    )  # fmt: skip
    run(["openssl", "genrsa", "-out", folder / "sa.key", "2048"], timeout=60)


def _etcd_argv(etcd: Path, folder: Path, client: int, peer: int) -> list[str | Path]:
    c, p = f"http://127.0.0.1:{client}", f"http://127.0.0.1:{peer}"
    return [
        etcd, "--name", "test", "--data-dir", folder / "etcd",
        "--listen-client-urls", c, "--advertise-client-urls", c,
        "--listen-peer-urls", p, "--initial-advertise-peer-urls", p,
        "--initial-cluster", f"test={p}", "--unsafe-no-fsync",
    ]  # fmt: skip


def _apiserver_argv(api: Path, folder: Path, client: int, secure: int) -> list[str | Path]:
    return [
        api, f"--etcd-servers=http://127.0.0.1:{client}", "--bind-address=127.0.0.1",
        f"--secure-port={secure}", "--advertise-address=127.0.0.1",
        "--endpoint-reconciler-type=none",
        f"--tls-cert-file={folder / 'ca.crt'}", f"--tls-private-key-file={folder / 'ca.key'}",
        f"--client-ca-file={folder / 'ca.crt'}", f"--token-auth-file={folder / 'tokens.csv'}",
        f"--service-account-issuer=https://127.0.0.1:{secure}/",
        f"--service-account-key-file={folder / 'sa.key'}",
        f"--service-account-signing-key-file={folder / 'sa.key'}",
        f"--api-audiences=https://127.0.0.1:{secure}/", "--authorization-mode=RBAC",
        "--service-cluster-ip-range=10.0.0.0/24", "--allow-privileged=true",
        "--disable-admission-plugins=ServiceAccount",
        f"--cert-dir={folder / 'certs'}",
    ]  # fmt: skip


def _spawn(argv: list[str | Path], log: Path) -> int:
    """Start a long-running server (the one runner waits for its children; servers never end,
    so they are the one exception, stopped by ControlPlane.stop)."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(a) for a in argv], stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return proc.pid


def _wait_ready(plane: ControlPlane) -> None:
    context = ssl.create_default_context(cafile=str(plane.ca))
    request = urllib.request.Request(  # noqa: S310 - https, to our own loopback server
        f"{plane.url}/readyz", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}
    )
    deadline = time.monotonic() + _READY_TIMEOUT
    while time.monotonic() < deadline:
        for pid in plane.pids:
            if _exited(pid):
                log = (plane.folder / "api.log").read_text(errors="replace")[-2000:]
                raise EnvironmentProblem(
                    f"control plane process {pid} exited: {log.strip()[-300:]}",
                    hint=f"see the logs in {plane.folder}",
                )
        try:
            with urllib.request.urlopen(request, context=context, timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise EnvironmentProblem(
        f"kube-apiserver not ready after {_READY_TIMEOUT:g}s", hint=f"see {plane.folder}/api.log"
    )


def _exited(pid: int) -> bool:
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return done == pid


def _wait_gone(pid: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if _exited(pid):
            return
        time.sleep(0.05)
    os.killpg(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
