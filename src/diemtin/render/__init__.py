"""Stage 7, render: the digest as the JSON contract, Markdown and plain text."""

from diemtin.render.formats import to_dict, to_json, to_markdown, to_text

__all__ = ["to_dict", "to_json", "to_markdown", "to_text"]
