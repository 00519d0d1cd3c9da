"""Shutdown waits until the kernel has sent what responses wrote (app/drain.py), so a stream cut by
`docker compose down` reaches a slow reader whole."""

import asyncio
import socket
import threading
import time

from app.drain import unsent_bytes, wait_until_sent

HEADER = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"


def waited(port: int, seconds: float) -> float:
    """wait_until_sent on a loop of its own thread: the browser tests leave this thread's loop running."""
    result: list[float] = []
    worker = threading.Thread(target=lambda: result.append(asyncio.run(wait_until_sent(port, seconds))))
    worker.start()
    worker.join()
    return result[0]


def test_unsent_bytes_reads_the_tx_queue_of_sockets_on_the_port(tmp_path):
    table = tmp_path / "tcp"
    table.write_text(
        HEADER
        + "   0: 0100007F:1F40 0100007F:D2A4 01 0000A000:00000000 00:00000000 00000000  1000 0 1 1\n"  # port 8000
        + "   1: 0100007F:1F41 0100007F:D2A6 01 00000400:00000000 00:00000000 00000000  1000 0 2 1\n"  # port 8001
        + "   2: 0100007F:1F40 0100007F:D2A8 04 00000010:00000000 00:00000000 00000000  1000 0 3 1\n"  # closing
    )
    assert unsent_bytes(8000, (table,)) == 0xA000 + 0x10
    assert unsent_bytes(8001, (table,)) == 0x400
    assert unsent_bytes(9000, (table,)) == 0


def test_no_proc_table_means_nothing_to_wait_for(tmp_path):
    assert unsent_bytes(8000, (tmp_path / "absent",)) == 0


def test_a_reader_that_does_not_read_holds_the_shutdown_until_it_does():
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    reader = socket.create_connection(("127.0.0.1", port))
    writer, _ = server.accept()
    writer.setblocking(False)
    sent = 0
    try:
        while True:
            sent += writer.send(b"x" * 65536)
    except BlockingIOError:
        pass  # the kernel's buffers are full: the reader is behind
    time.sleep(0.05)
    assert unsent_bytes(port) > 0
    assert waited(port, 0.2) >= 0.2  # gives up after its bound while nothing is read
    received = 0
    reader.settimeout(5)
    while received < sent:
        received += len(reader.recv(1 << 20))
    assert waited(port, 5) < 5
    assert unsent_bytes(port) == 0
    for s in (reader, writer, server):
        s.close()
