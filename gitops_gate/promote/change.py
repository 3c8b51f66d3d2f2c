"""One image moved at one site: the text edit, checked by reading the file back."""

from __future__ import annotations

from collections.abc import Callable

from gitops_gate.errors import LocatedError
from gitops_gate.manifests.loader import load_text
from gitops_gate.promote.edit import drop_line, insert_after, rename_key, set_value
from gitops_gate.promote.images import ImageRef, Wanted
from gitops_gate.promote.sites import HELM, KUSTOMIZE, Site, sites_in

Edit = tuple[int, Callable[[str], str]]  # (line, the edit): applied bottom-up, lines stay put


def moved(text: str, site: Site, wanted: Wanted) -> str:
    """text with site's image at wanted's version; LocatedError when that cannot be done cleanly."""
    if site.form == KUSTOMIZE:
        edits = _kustomize(site, wanted)
    elif site.form == HELM:
        edits = _helm(site, wanted)
    else:
        new = str(wanted.applied_to(site.current))
        old, at = str(site.current), site.line
        edits = [(at, lambda t: set_value(t, site.path, at, "image", old, new))]
    for _, edit in sorted(edits, key=lambda e: -e[0]):
        text = edit(text)
    _verify(text, site, wanted)
    return text


def changed_line(site: Site, wanted: Wanted) -> int:
    """The line that moved's edit changes (for a kustomize entry: its tag or digest line)."""
    if site.form == HELM:
        return site.doc.line_of([*site.pointer, "tag"])
    if site.form != KUSTOMIZE:
        return site.line
    entry = site.doc.body["images"][site.pointer[1]]
    keys = ("digest", "newTag") if wanted.digest else ("newTag", "digest")
    key = next((k for k in keys if k in entry), "name")
    return site.doc.line_of([*site.pointer, key])


def _kustomize(site: Site, wanted: Wanted) -> list[Edit]:
    """newTag or digest set; the other one goes, its line reused when it stood alone."""
    entry = site.doc.body["images"][site.pointer[1]]
    key, other = ("digest", "newTag") if wanted.digest else ("newTag", "digest")
    value, edits = wanted.version, list[Edit]()
    if key in entry:
        at = site.doc.line_of([*site.pointer, key])
        old = str(entry[key])
        edits.append((at, lambda t: set_value(t, site.path, at, key, old, value)))
        if other in entry:
            gone = site.doc.line_of([*site.pointer, other])
            edits.append((gone, lambda t: drop_line(t, site.path, gone, other)))
    elif other in entry:
        at, old = site.doc.line_of([*site.pointer, other]), str(entry[other])

        def swap(t: str) -> str:
            t = set_value(t, site.path, at, other, old, value)
            return rename_key(t, site.path, at, other, key)

        edits.append((at, swap))
    else:
        at = site.doc.line_of([*site.pointer, "name"])
        edits.append((at, lambda t: insert_after(t, site.path, at, "name", key, value)))
    return edits


def _helm(site: Site, wanted: Wanted) -> list[Edit]:
    if wanted.tag is None:
        raise LocatedError(
            site.path, site.line, f"{site.current.name} is set by a Helm value `tag` here",
            hint="promote a tag, or pin the digest in the chart's values by hand",
        )  # fmt: skip
    at = site.doc.line_of([*site.pointer, "tag"])
    old, new = site.current.tag, wanted.tag
    return [(at, lambda t: set_value(t, site.path, at, "tag", old, new))]


def _verify(text: str, site: Site, wanted: Wanted) -> None:
    loaded = load_text(text, site.path)
    docs = [*loaded.kustomizations, *loaded.resources]
    after: list[ImageRef] = [
        s.current for d in docs if d.index == site.doc.index for s in sites_in(d, site.current.name)
        if s.pointer == site.pointer
    ]  # fmt: skip
    if not after or after[0].version != wanted.version:
        raise LocatedError(
            site.path, site.line, f"the edit of {site.current.name} did not read back as asked",
            hint="edit the file by hand; this is a bug worth reporting",
        )  # fmt: skip
