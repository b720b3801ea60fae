"""Windows pages, one module per part: ``windows`` (the board, a window, appointing its chief,
the go-live import), ``transfers`` (requests, vetting, attachments), ``returns`` (return for poor
performance, windows without a chief, replacement demands), ``stand_ins`` (AB岗). Thin views over
the selectors and services."""
