# Stands in for systemd's socket unit: holds one listening socket on 127.0.0.1 (never accepting) and, on "start ARGV-as-JSON", runs a program with it as descriptor 3, LISTEN_FDS=1 and LISTEN_PID set to the program's own pid.
import json
import os
import socket
import subprocess
import sys

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.bind(("127.0.0.1", 0))
listener.listen(1024)
print("port", listener.getsockname()[1], flush=True)

for line in sys.stdin:
    word, _, rest = line.strip().partition(" ")
    if word == "start":
        argv = json.loads(rest)
        env = dict(os.environ, LISTEN_FDS="1", LISTEN_FDNAMES="web")
        # The shell learns its own pid ($$) and becomes the program: LISTEN_PID is the program's pid, as systemd sets it.
        child = subprocess.Popen(
            ["sh", "-c", 'LISTEN_PID=$$ exec "$@"', "sh", *argv],
            env=env,
            preexec_fn=lambda: os.dup2(listener.fileno(), 3),
            pass_fds=(3,),
            stdin=subprocess.DEVNULL,
        )
        print("pid", child.pid, flush=True)
