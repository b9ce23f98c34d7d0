"""Mixed piles -> stories: split one pile of articles into clusters, one per story."""

from diemtin.stories.split import split_stories

__all__ = ["split_stories"]
