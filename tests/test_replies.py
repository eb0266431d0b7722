"""Replies render the same source as plain text and as safe HTML."""

from __future__ import annotations

from bot.replies import Reply, escape_markup


def test_bold_links_and_bullets() -> None:
    reply = Reply("**Salon #3** is open: [Ny legeplads](https://matrix.to/#/!a:b)\n- one\n- two")
    assert reply.body == "Salon #3 is open: Ny legeplads (https://matrix.to/#/!a:b)\n• one\n• two"
    assert reply.formatted_body == (
        '<strong>Salon #3</strong> is open: <a href="https://matrix.to/#/!a:b">Ny legeplads</a>'
        "<br/><ul><li>one</li><li>two</li></ul>"
    )


def test_user_text_cannot_inject_markup() -> None:
    title = escape_markup("<script>x</script> **loud** [x](https://evil.example)")
    reply = Reply(f"Title: {title}")
    assert "<script>" not in reply.formatted_body
    assert "&lt;script&gt;" in reply.formatted_body
    assert "<strong>" not in reply.formatted_body
    assert "<a " not in reply.formatted_body
    assert "**loud**" in reply.body


def test_a_link_url_is_escaped_exactly_once() -> None:
    reply = Reply('Look: [the map](https://kort.example/?a=1&b="2"&c=<3>)')
    assert reply.formatted_body == (
        'Look: <a href="https://kort.example/?a=1&amp;b=&quot;2&quot;&amp;c=&lt;3&gt;">'
        "the map</a>")
    assert "&amp;amp;" not in reply.formatted_body
    assert reply.body == 'Look: the map (https://kort.example/?a=1&b="2"&c=<3>)'


def test_plain_text_specials_are_escaped_exactly_once() -> None:
    reply = Reply("Tom & Jerry <3 > 2 &amp; **A & B**\n- x & y")
    assert reply.formatted_body == (
        "Tom &amp; Jerry &lt;3 &gt; 2 &amp;amp; <strong>A &amp; B</strong><br/>"
        "<ul><li>x &amp; y</li></ul>")
    assert reply.body == "Tom & Jerry <3 > 2 &amp; A & B\n• x & y"
