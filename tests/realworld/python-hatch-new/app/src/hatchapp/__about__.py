# SPDX-FileCopyrightText: 2026-present Example Author <author@example.com>
#
# SPDX-License-Identifier: MIT
__version__ = "0.0.1"
