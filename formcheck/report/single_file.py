"""``report-share.html``: a clip's report as one file a coach can send to an athlete (mail, chat) that works offline
on a phone: the annotated video inside it, the key frames inline (as report.html already has them), no reference to
any other file or to the network.

It is made from the clip folder's own ``report.html`` and ``annotated.mp4`` (so it is exactly the report the coach
read, whichever version of formcheck wrote it): the player's ``<video src="annotated.mp4">`` becomes a video with no
``src`` whose bytes sit in the page as base64 and are handed to it as a Blob by a few lines of script; the player's
tools (speed, frame step, landings, tapping a step) work on it as on the file. A Blob rather than a ``data:`` URL
in ``src``: Chromium caps URLs at 2 MB, and a Blob seeks like a file.
"""

from __future__ import annotations

import base64
import logging
import mmap
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from formcheck.errors import FormcheckError, OutputError
from formcheck.files import atomic_path
from formcheck.report import context
from formcheck.report.session_html import SESSION_LINK_END, SESSION_LINK_START

log = logging.getLogger(__name__)

SHARE_FILE = "report-share.html"
VIDEO_FILE = "annotated.mp4"
VIDEO_MIME = "video/mp4"
# Larger files are refused or painful by mail and on a phone's data plan: Gmail takes attachments up to 25 MB
# (support.google.com/mail/answer/6584), Outlook.com 20 MB.
LARGE_FILE_BYTES = 25_000_000
GENERATOR_MARK = '<meta name="generator" content="formcheck'

# The report's player (formcheck/report/player.py): its video element and the fallback link inside it.
_VIDEO_TAG = re.compile(r'<video id="fc-video"(?P<before>[^>]*?) src="(?P<src>[^"]*)"(?P<after>[^>]*)>')
_FALLBACK = re.compile(r'Your browser cannot play the video; open <a href="[^"]*">[^<]*</a>\.')
_DATA_ID = "fc-video-data"
# What marks a page as one ``share`` wrote: the block holding the video (a report.html, session or compare page
# has none). Only such a file is replaced by ``share -o``.
SHARE_MARK = f'id="{_DATA_ID}"'.encode()
# The link to a two-view session page that formcheck/session.py puts at the top of a clip's report: a relative
# link to a page the athlete does not get, so the single file leaves it out.
_SESSION_LINK = re.compile("\n?" + re.escape(SESSION_LINK_START) + ".*?" + re.escape(SESSION_LINK_END), re.S)
# The links of the who-and-when line a batch writes (formcheck/report/context.py: to the roster and the athlete's
# page, relative, not sent along): each with the " · " before it, or after it when it comes first.
_CONTEXT_LINK = re.compile(r"(?: · )?<a\b[^>]*>.*?</a>(?: · (?=<a\b))?", re.S)
_EMPTY_LINE = re.compile(r'<p class="context-line"[^>]*></p>')

# Decodes the base64 video into a Blob and gives it to the player. Plain JavaScript; runs opened from disk.
_LOADER_JS = r"""
(function () {
  "use strict";
  var node = document.getElementById("fc-video-data"), v = document.getElementById("fc-video");
  if (!node || !v) return;
  var bin = atob(node.textContent), n = bin.length, bytes = new Uint8Array(n);
  for (var i = 0; i < n; i++) bytes[i] = bin.charCodeAt(i);
  v.src = URL.createObjectURL(new Blob([bytes], {type: node.getAttribute("data-mime")}));
  node.textContent = "";
})();
"""


NOT_BLURRED = "faces not blurred: analyse the clip with --blur-faces to hide them"
NO_FACE_FOUND = "faces not blurred: --blur-faces found no face to blur in this clip"


@dataclass(frozen=True)
class SharedReport:
    path: Path
    size_bytes: int
    faces_blurred: bool
    blur_note: str = ""  # why the faces are not blurred ('' when they are)


class _References(HTMLParser):
    """Every URL-valued attribute of a page (src, href, poster, srcset, ...) and every CSS ``url(...)``."""

    URL_ATTRS = frozenset({"src", "href", "xlink:href", "poster", "srcset", "data", "action", "formaction"})
    URL_ATTRS |= {"background", "manifest", "cite", "ping"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in self.URL_ATTRS:
                self.urls.append(value)
            self.urls += re.findall(r"url\(\s*['\"]?([^'\")]*)", value)

    def handle_data(self, data: str) -> None:  # <style> text
        self.urls += re.findall(r"url\(\s*['\"]?([^'\")]*)", data)
        self.urls += re.findall(r"@import\s+['\"]([^'\"]*)", data)


def external_references(html: str) -> list[str]:
    """The URLs in ``html`` that reach outside the page: anything but ``data:``, ``blob:`` and ``#fragment``."""
    parser = _References()
    parser.feed(html)
    parser.close()
    inside = ("data:", "blob:", "#")
    return [u for u in parser.urls if not u.strip().lower().startswith(inside)]


def embed_video(report_html: str, video: bytes, mime: str = VIDEO_MIME) -> str:
    """``report_html`` (a report.html) with ``video`` inside it: the player's video element loses its ``src`` and
    its fallback link, and the page gains the video as base64 and the script that plays it. Raises ValueError when
    the page has no formcheck player to put it in."""
    match = _VIDEO_TAG.search(report_html)
    if match is None:
        raise ValueError("the report has no video player")
    tag = f'<video id="fc-video"{match["before"]}{match["after"]}>'
    page = report_html[: match.start()] + tag + report_html[match.end() :]
    page = _FALLBACK.sub("Open this file in a web browser to play the video.", page, count=1)
    payload = base64.b64encode(video).decode("ascii")
    block = (
        f'<script type="application/octet-stream" id="{_DATA_ID}" data-mime="{mime}">{payload}</script>\n'
        f"<script>{_LOADER_JS}</script>\n"
    )
    end = page.rfind("</body>")
    if end < 0:
        raise ValueError("the report has no </body>")
    return page[:end] + block + page[end:]


def without_local_links(report_html: str) -> str:
    """``report_html`` without the links to pages beside it that formcheck adds after the analysis: the session
    page's link, and the batch's links to the roster and the athlete's page (the athlete and date stay)."""
    page = _SESSION_LINK.sub("", report_html)
    i = page.find(context.START)
    j = page.find(context.END, i + 1) if i >= 0 else -1
    if j < 0:
        return page
    line = _EMPTY_LINE.sub("", _CONTEXT_LINK.sub("", page[i:j]))
    return page[:i] + line + page[j:]


def single_file_html(clip_dir: str | os.PathLike[str]) -> str:
    """The single-file report of a clip folder; FormcheckError (one line, what to do) when the folder lacks what
    it needs."""
    folder = Path(clip_dir)
    if not folder.is_dir():
        raise FormcheckError(
            f"{folder} is not a folder: give a clip folder written by formcheck analyze (OUTDIR/<clip>)"
        )
    report, video = folder / "report.html", folder / VIDEO_FILE
    if not report.is_file():
        raise FormcheckError(
            f"{folder} has no report.html: give a clip folder written by formcheck analyze (OUTDIR/<clip>)"
        )
    if not video.is_file():
        raise FormcheckError(
            f"{folder} has no {VIDEO_FILE} (analysed with --no-video?): run formcheck analyze on the clip again "
            "without --no-video"
        )
    try:
        html = report.read_text(encoding="utf-8")
        data = video.read_bytes()
    except (OSError, UnicodeDecodeError) as e:
        raise FormcheckError(f"cannot read {folder}'s report or video ({e}): check the folder") from e
    try:
        page = embed_video(without_local_links(html), data)
    except ValueError as e:
        raise FormcheckError(
            f"{report} is not a report this formcheck can embed a video in ({e}): run formcheck reanalyze {folder}"
        ) from e
    outside = external_references(page)
    if outside:
        raise FormcheckError(
            f"{report} refers to {len(outside)} other file(s) ({outside[0][:60]}): run formcheck reanalyze {folder}"
        )
    return page


def write_single_file(
    clip_dir: str | os.PathLike[str], out_path: str | os.PathLike[str], shown_as: str | None = None
) -> Path:
    """Write ``clip_dir``'s single-file report to ``out_path`` atomically; warn (one line, naming the file
    ``shown_as``) when it is too large to send comfortably."""
    page = single_file_html(clip_dir).encode("utf-8")
    with atomic_path(out_path) as tmp:
        tmp.write_bytes(page)
    if len(page) > LARGE_FILE_BYTES:
        log.warning("%s", too_large_message(shown_as or str(out_path), len(page)))
    return Path(out_path)


def too_large_message(name: str, size_bytes: int) -> str:
    """One line: the file is too large to mail, and how to make it smaller."""
    return (
        f"{name} is {size_bytes / 1e6:.1f} MB: too large for most mail (over {LARGE_FILE_BYTES / 1e6:.0f} MB) and "
        "slow on a phone; share a shorter clip (cut it to a few seconds of running first) or analyse it with "
        "--crop runner for a smaller video"
    )


def share_clip_folder(
    clip_dir: str | os.PathLike[str], out_path: str | os.PathLike[str] | None = None
) -> SharedReport:
    """``formcheck share CLIPDIR [-o FILE]``: the single-file report of a clip folder, written to FILE (default
    ``CLIPDIR/report-share.html``). An existing FILE is replaced only when ``share`` wrote it."""
    folder = Path(clip_dir)
    out = Path(out_path) if out_path is not None else folder / SHARE_FILE
    if out.is_dir():
        out = out / SHARE_FILE
    if (out.exists() or out.is_symlink()) and not is_share_file(out):
        raise OutputError(
            f"{out} already exists and is not a file formcheck share wrote: choose another name with -o "
            f"(e.g. {SHARE_FILE})"
        )
    path = write_single_file(folder, out)
    note = blur_note(folder)
    return SharedReport(path, path.stat().st_size, not note, note)


def blur_note(clip_dir: Path) -> str:
    """Why the clip's pictures are not blurred ('' when they are): from ``faces_blurred`` of its analysis.json
    (false when --blur-faces found no head to blur; a file from before that key trusts ``settings.blur_faces``).
    Not blurred when the analysis cannot be read."""
    from formcheck.report.json_out import load_analysis, settings_of

    try:
        doc = load_analysis(clip_dir / "analysis.json")
    except FormcheckError:
        return NOT_BLURRED
    settings = settings_of(doc)
    asked = bool(settings is not None and settings.blur_faces)
    if not asked:
        return NOT_BLURRED
    return NO_FACE_FOUND if doc.get("faces_blurred", True) is not True else ""


def is_share_file(path: Path) -> bool:
    """True when ``path`` is a plain file that ``share`` (or ``--single-file``) wrote: formcheck's generator tag near
    the top and the video block inside. A clip's report.html, a session or compare page, a page of the coach's
    own are not: ``share -o`` never replaces them."""
    if path.is_symlink() or not path.is_file():
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
            if GENERATOR_MARK.encode() not in head:
                return False
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
                return data.find(SHARE_MARK) >= 0
    except (OSError, ValueError):  # unreadable, or empty (mmap of 0 bytes)
        return False
