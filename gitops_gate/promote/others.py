"""`promote --all`: the promotion diff's differences left once the images moved, refused by name.

Copying a replica count or a ConfigMap value means finding the line that sets it in the
target's own files (a patch, a generator, a Helm value) and writing the source's value there.
That mapping from a rendered field back to a source line is not done safely yet, so `--all`
moves the images and refuses, naming each difference, when anything else is left: the user
learns what `--all` would move and copies it by hand, rather than getting a guess.
"""

from __future__ import annotations

from pathlib import Path

from gitops_gate.diff.api import diff_environments
from gitops_gate.diff.compare import ObjectChange
from gitops_gate.errors import UsageError
from gitops_gate.promote.locate import Workspace

SHOWN = 5  # differences named on the one line; the rest are counted


def refuse_others(ws: Workspace, source: str, target: str, config_path: Path | None) -> None:
    """UsageError naming what still differs between source and target besides images."""
    result = diff_environments(root=ws.root, from_env=source, to_env=target,
                               config_path=config_path, use_cache=False)  # fmt: skip
    left = [c for e in result.envs for c in e.changes]
    if not left:
        return
    named = ", ".join(_name(c, source, target) for c in left[:SHOWN])
    more = f" and {len(left) - SHOWN} more" if len(left) > SHOWN else ""
    owned = [f for f in ws.environment_files(target) if ws.owners(f) == [target]]
    raise UsageError(
        f"promote --all does not copy differences besides images yet; {target} still differs"
        f" from {source} in {len(left)} object(s): {named}{more}",
        hint=f"copy them by hand in the files {target} owns ({', '.join(owned) or 'none'}),"
        f" or promote without --all to move the images alone; see `gitops-gate diff"
        f" --from-env {source} --to-env {target}`",
    )


def _name(change: ObjectChange, source: str, target: str) -> str:
    key = change.key
    kind = f"{key.kind}.{key.group}" if key.group else key.kind
    where = f"{key.namespace}/{key.name}" if key.namespace else key.name
    how = {"added": f"only in {target}", "removed": f"only in {source}"}.get(
        change.change, change.reason
    )
    return f"{kind} {where} ({how})"
