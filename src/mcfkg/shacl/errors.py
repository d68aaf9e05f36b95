"""Why the engine does not validate: a feature it lacks, or a shape SHACL itself forbids."""


class Unsupported(Exception):
    """The shapes use a SHACL feature this engine does not implement; validate with pySHACL instead."""


class InvalidShape(ValueError):
    """The shapes break a rule of SHACL itself (a query SHACL does not allow): fix the shape."""
