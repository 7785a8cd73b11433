"""The chat, as the user sees it: the log of messages, each message, the prompt, the
turn indicator and the session list.

Each message's body is a `tui.widgets.transcript.stream_view.StreamView`; this package
arranges messages, it never paints their content.
"""
