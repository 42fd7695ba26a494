"""Every formcheck page opens with one ``<head>`` (formcheck/report/css.py ``page_head``): the phone viewport, the
generator tag that ``share`` and the ownership checks look for, an escaped title, the stylesheet."""

from __future__ import annotations

from formcheck.report.css import CSS, page_head
from formcheck.version import __version__


def test_page_head_known_answer():
    head = page_head('Running form: <a&b "c">', "h1{x:1}", version="9.9")
    assert head.startswith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in head
    assert '<meta name="generator" content="formcheck 9.9">' in head
    assert "<title>Running form: &lt;a&amp;b &quot;c&quot;&gt;</title>" in head
    assert f"<style>{CSS}h1{{x:1}}</style>\n</head>\n<body>\n" in head and head.endswith("<body>\n")
    assert f'content="formcheck {__version__}"' in page_head("t")


def test_the_clip_and_session_pages_open_with_it(tmp_path):
    from formcheck.report.html import render_report
    from formcheck.report.session_html import SESSION_CSS, render_session_report
    from formcheck.session import session_document
    from tests.fixtures.fake_session import frontal_doc, side_analysis, side_doc

    analysis = side_analysis()
    page = render_report(analysis, tmp_path)
    clip = analysis.video.path.rsplit("/", 1)[-1]
    assert page.startswith(
        page_head(f"Running form: {clip}", version=analysis.formcheck_version or __version__)
    )
    side, rear = side_doc(), frontal_doc()
    doc = session_document(side, rear, "a", "b")
    html = render_session_report(doc, side, rear, tmp_path)
    names = " + ".join(c["video"] for c in doc["clips"])
    assert html.startswith(page_head(f"Running form session: {names}", SESSION_CSS))
