"""A tiny real node-pool stand-in: gRPC UserService.Login on the address in argv[1].

Run inside the pool namespace by the netns lab; prints READY once it serves and stops on
SIGTERM. It refuses every login, which is still an answer that proves reachability.
"""

import signal
import sys
from concurrent import futures

import grpc

from hivemind_desktop.rpc import pb, pb_grpc


class Users(pb_grpc.UserServiceServicer):
    def Login(self, request, context):
        return pb.LoginResponse(success=False, message="unknown user", token="")


def main() -> None:
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    pb_grpc.add_UserServiceServicer_to_server(Users(), server)
    if server.add_insecure_port(sys.argv[1]) == 0:
        print(f"cannot listen on {sys.argv[1]}", flush=True)
        sys.exit(1)
    server.start()
    signal.signal(signal.SIGTERM, lambda *_: server.stop(0))
    print("READY", flush=True)
    server.wait_for_termination()


if __name__ == "__main__":
    main()
