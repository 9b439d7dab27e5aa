package io.dominoes.net.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the TAP interop tests share on the kernel's side: the python3 client that uploads seeded bytes and
 * then downloads (printing the SHA-256 of each), and running a command (ip, ping, tshark) to completion.
 */
final class KernelPeer
{
    /**
     * argv: host port bytes seed. Prints {@code up <sha256>} after the upload and {@code down <sha256> <n>}.
     */
    static final String CLIENT_PY = String.join("\n",
        "import hashlib, random, socket, sys",
        "host, port, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])",
        "rnd = random.Random(seed)",
        "h = hashlib.sha256()",
        "s = socket.create_connection((host, port), timeout=60)",
        "left = n",
        "while left > 0:",
        "    chunk = rnd.randbytes(min(left, 1 << 20))",
        "    h.update(chunk)",
        "    s.sendall(chunk)",
        "    left -= len(chunk)",
        "s.shutdown(socket.SHUT_WR)",
        "assert s.recv(1) == b''",
        "s.close()",
        "print('up', h.hexdigest(), flush=True)",
        "h = hashlib.sha256()",
        "got = 0",
        "s = socket.create_connection((host, port), timeout=60)",
        "while True:",
        "    b = s.recv(1 << 20)",
        "    if not b:",
        "        break",
        "    h.update(b)",
        "    got += len(b)",
        "s.close()",
        "print('down', h.hexdigest(), got, flush=True)",
        "");

    private KernelPeer()
    {
    }

    /**
     * Run a command to completion.
     *
     * @return its combined output.
     * @throws IllegalStateException naming the command and its output if it fails or takes over 60 s.
     */
    static String run(final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0)
        {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }
}
