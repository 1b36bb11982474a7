# SPDX-License-Identifier: MIT
"""Synthetic mail logs with a known ground truth, for bench/gen."""
