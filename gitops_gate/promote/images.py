"""Image references: `name[:tag][@digest]` split as registries and kustomize read them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gitops_gate.errors import UsageError

_DIGEST = re.compile(r"^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$")
_TAG = re.compile(r"^[\w][\w.-]{0,127}$")


@dataclass(frozen=True, slots=True)
class ImageRef:
    """An image as a manifest writes it: the name, and a tag, a digest, both or neither."""

    name: str
    tag: str | None = None
    digest: str | None = None

    @classmethod
    def parse(cls, text: str) -> ImageRef:
        rest, _, digest = text.partition("@")
        # A colon after the last slash starts the tag; one before it is a registry's port.
        slash = rest.rfind("/")
        colon = rest.rfind(":")
        if colon > slash:
            return cls(rest[:colon], rest[colon + 1 :], digest or None)
        return cls(rest, None, digest or None)

    @property
    def version(self) -> str:
        """What a person calls the version: the digest when pinned so, else the tag."""
        return self.digest or self.tag or "latest"

    def __str__(self) -> str:
        out = self.name
        if self.tag:
            out += f":{self.tag}"
        if self.digest:
            out += f"@{self.digest}"
        return out


@dataclass(frozen=True, slots=True)
class Wanted:
    """One `NAME=TAG` or `NAME@DIGEST` asked for on the command line."""

    name: str
    tag: str | None = None
    digest: str | None = None

    @classmethod
    def parse(cls, text: str) -> Wanted:
        if "@" in text:
            name, _, digest = text.partition("@")
            if name and _DIGEST.match(digest):
                return cls(name, digest=digest)
        elif "=" in text:
            name, _, tag = text.partition("=")
            if name and _TAG.match(tag):
                return cls(name, tag=tag)
        raise UsageError(
            f"{text!r} is not NAME=TAG or NAME@DIGEST",
            hint="e.g. ghcr.io/acme/web=v1.2.0 or ghcr.io/acme/web@sha256:<64 hex>",
        )

    @property
    def version(self) -> str:
        return self.digest or self.tag or ""

    def applied_to(self, ref: ImageRef) -> ImageRef:
        """ref moved to this version: a digest replaces the tag, a tag drops the digest."""
        if self.digest is not None:
            return ImageRef(ref.name, None, self.digest)
        return ImageRef(ref.name, self.tag, None)
