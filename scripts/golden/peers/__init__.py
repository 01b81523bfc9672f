"""One module per peer library; ``common`` holds the shared generator and helpers."""
