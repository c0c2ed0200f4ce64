"""The domain: plain functions taking a Session, one module per area.

They validate, raise OpsctlError subclasses with messages written for the user, and
flush but never commit: the command's session scope commits once.
"""
