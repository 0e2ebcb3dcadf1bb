# The test's NOTIFY_SOCKET: a unix datagram socket (Node has none) that prints each message on one line ("|" between its lines) and closes the descriptors a barrier sends.
import array
import os
import socket
import sys

sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(sys.argv[1])
print("listening", flush=True)
while True:
    data, ancillary, _flags, _addr = sock.recvmsg(4096, socket.CMSG_SPACE(16 * 4))
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds = array.array("i")
            fds.frombytes(payload[: len(payload) - len(payload) % fds.itemsize])
            for fd in fds:
                os.close(fd)  # systemd-notify's barrier waits for this close
    print(data.decode().strip().replace("\n", "|"), flush=True)
