# checkov loads checks only from a directory that is a Python package.
