"""Serving the chat to others: `inkstream serve ssh` and `inkstream serve web`.

Each SSH login with a PTY runs its own `inkstream` in its own PTY, with its own history
under `<data dir>/users/<name>/`; nothing else is reachable. One module a job:

- `options`: the `serve` command line (imports nothing heavy);
- `keys`: the host key, made on the first run;
- `auth`: the authorized keys and the history namespace each names;
- `server`: the asyncssh server: public keys only, every forwarding refused;
- `session`: one session channel, pumping bytes between the client and the app's PTY;
- `ptyproc`: one app process in its PTY, started, resized and ended;
- `zygote`: the app launcher, which imports the app once and forks it per session;
- `hub`: the settings and the sessions every connection shares, the cap among them;
- `run`: the server's life, from listening to a clean stop on a signal;
- `quiet_import`: asyncssh imported without its DSA deprecation warnings;
- `web`: the same app in a browser, through textual-serve.

asyncssh is imported only by the modules that serve, never by `inkstream` itself.
"""
