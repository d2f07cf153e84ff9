#!/usr/bin/env python3
# Hostile and careless clients of a gfntop recorder's viewers' socket (tests/live/viewers.sh).
# Each case prints "ok CASE" when the recorder dealt with it as it must (dropped the
# connection, refused it, or answered), "bad CASE: why" otherwise.
#   hostile_viewer.py SOCKET garbage     one connection per kind of malformed message
#   hostile_viewer.py SOCKET silent      a client that never says hello (dropped after 5 s)
#   hostile_viewer.py SOCKET storm N     N connections one after another, each closed at once
#   hostile_viewer.py SOCKET flood N     N connections held at once: at most --max-viewers get a hello
import os, signal, socket, struct, sys, time

signal.alarm(60)	# a recorder that stops accepting fails the test, never hangs it

path, what = sys.argv[1], sys.argv[2]
MAGIC, VERSION = 0x574E4647, 1
HDR = struct.Struct("=IHHII")
W_HELLO, W_CLIENT_HELLO, W_EVENTS, W_BYE = 1, 2, 4, 14


def msg(typ, recs, rec_size, count=None, magic=MAGIC, version=VERSION):
    n = count if count is not None else (len(recs) // rec_size if rec_size else 0)
    return HDR.pack(magic, version, typ, n, rec_size) + recs


def client_hello(flags=1):
    return msg(W_CLIENT_HELLO, struct.pack("=II3Q", VERSION, flags, 0, 0, 0), 32)


def connect():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.connect(path)	# blocking: a full backlog makes it wait for the recorder, not fail
    s.settimeout(8)
    return s


def dropped(s, timeout=8):
    """True once the recorder closes the connection (what it queued before is read and discarded)."""
    s.settimeout(timeout)
    end = time.time() + timeout
    try:
        while time.time() < end:
            if s.recv(70000) == b"":
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False
    return False


def first_type(s):
    data = s.recv(70000)
    return HDR.unpack_from(data)[2] if len(data) >= HDR.size else None


def case(name, payload, read_hello=True, then=None):
    try:
        s = connect()
        if read_hello and first_type(s) != W_HELLO:
            print(f"bad {name}: no hello first")
            return
        for p in payload:
            s.send(p)
        print(f"ok {name}" if dropped(s) else f"bad {name}: still connected")
        s.close()
    except OSError as e:
        # the recorder may close before the send: that is dropping it too
        print(f"ok {name} ({e.__class__.__name__})" if isinstance(e, (BrokenPipeError, ConnectionResetError))
              else f"bad {name}: {e}")


if what == "garbage":
    case("random bytes", [os.urandom(100)])
    case("short message", [b"\x01\x02\x03"])
    case("wrong magic", [msg(W_CLIENT_HELLO, b"\0" * 32, 32, magic=0xDEADBEEF)])
    case("protocol version 2", [msg(W_CLIENT_HELLO, struct.pack("=II3Q", 2, 1, 0, 0, 0), 32, version=2)])
    case("hello with a wrong record size", [msg(W_CLIENT_HELLO, b"\0" * 40, 40)])
    case("hello with two records", [msg(W_CLIENT_HELLO, b"\0" * 64, 32, count=2)])
    case("length not what the header says", [HDR.pack(MAGIC, VERSION, W_CLIENT_HELLO, 1, 32) + b"\0" * 8])
    case("a type only the recorder sends", [msg(W_EVENTS, b"\0" * 128, 128)])
    case("an unknown type", [msg(99, b"\0" * 32, 32)])
    case("a message longer than allowed", [os.urandom(65600)])
    case("unknown hello flags", [client_hello(flags=0xFF)])
    case("a second hello", [client_hello(), client_hello()])
    case("events sent after hello", [client_hello(), msg(W_EVENTS, b"\0" * 128, 128)])
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
        print("bad stream socket: connected")
    except OSError:
        print("ok stream socket refused")
elif what == "silent":
    s = connect()
    first_type(s)
    t0 = time.time()
    gone = dropped(s, timeout=12)
    took = time.time() - t0
    print(f"ok silent client dropped after {took:.1f} s" if gone and 4 <= took <= 10
          else f"bad silent client: dropped={gone} after {took:.1f} s")
elif what == "storm":
    n, bad = int(sys.argv[3]), 0
    for i in range(n):
        try:
            connect().close()
        except OSError:
            bad += 1
    print(f"ok {n} connections opened and closed" if bad == 0 else f"bad storm: {bad} of {n} failed")
elif what == "flood":
    n, hellos, byes, other = int(sys.argv[3]), 0, 0, 0
    held = []
    for i in range(n):
        try:
            held.append(connect())
        except OSError:
            other += 1
    for s in held:
        try:
            t = first_type(s)
            hellos += t == W_HELLO
            byes += t == W_BYE
            other += t not in (W_HELLO, W_BYE)
        except OSError:
            other += 1
    for s in held:
        s.close()
    print(f"flood hellos={hellos} byes={byes} other={other}")
