# SPDX-FileCopyrightText: 2026-present Example Author <author@example.com>
#
# SPDX-License-Identifier: MIT
