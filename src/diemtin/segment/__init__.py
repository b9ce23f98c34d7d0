"""Stage 4, segment: cleaned text -> paragraphs and sentences with offsets into ``Article.text``."""

from diemtin.segment.sentences import segment_article, split_sentences

__all__ = ["segment_article", "split_sentences"]
