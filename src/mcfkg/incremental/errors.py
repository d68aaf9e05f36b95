"""Why a change cannot go through the build's state."""


class NotIncremental(Exception):
    """The change cannot be applied to the state alone (it changes the vocabulary, say): build in full."""
