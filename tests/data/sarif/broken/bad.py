"""A file that does not parse (for the scanners' error handling)."""

def f(:
    return eval(x)
