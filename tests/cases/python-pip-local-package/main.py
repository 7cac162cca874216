import native
