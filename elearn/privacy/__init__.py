"""Learners' data rights: see and take one's data, erasure, retention."""
