package io.dominoes.bench.cli;

import io.dominoes.net.monitor.ChecksumMode;
import io.dominoes.net.monitor.MonitorConfig;
import io.dominoes.net.monitor.PcapReplay;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code ./dominoes pcap-replay FILE}: replays a capture's TCP traffic through the passive monitor
 * (io.dominoes.net.monitor), prints per-connection figures, drops by reason and ns per segment with the frames
 * pre-loaded, and optionally writes each connection's reassembled bytes per direction. Standalone until
 * {@code tcp-bench --pcap} exists; both call {@link PcapReplay#run}.
 */
@Command(
    name = "pcap-replay",
    description = "Replay a capture's TCP traffic through the passive reassembler: per-connection stats, drops, " +
        "ns/segment; --dump-streams DIR writes DIR/<client-ip>.<port>-<server-ip>.<port>.<c2s|s2c>.bin.")
public final class PcapReplayCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "pcap or pcapng capture of Ethernet frames")
    Path file;

    @Option(names = "--dump-streams", paramLabel = "DIR", description = "write reassembled streams here")
    Path dumpDirectory;

    @Option(names = "--json", description = "print the report as one JSON object")
    boolean json;

    @Option(names = "--runs", defaultValue = "3", description = "timed passes (default ${DEFAULT-VALUE})")
    int runs;

    @Option(names = "--checksums", defaultValue = "VERIFY",
        description = "VERIFY (drop bad), COUNT (keep, count; for captures with checksum offload) or OFF")
    ChecksumMode checksums;

    @Option(names = "--no-defrag", description = "drop IPv4 fragments instead of reassembling them")
    boolean noDefrag;

    @Option(names = "--max-connections", defaultValue = "4096", description = "connection table size")
    int maxConnections;

    @Option(names = "--buffer-bytes", defaultValue = "262144",
        description = "out-of-order reach per direction, a power of two (default ${DEFAULT-VALUE})")
    int bufferBytes;

    public Integer call() throws IOException
    {
        final PrintWriter out = spec.commandLine().getOut();
        final MonitorConfig config;
        final PcapReplay.Options options;
        try
        {
            config = new MonitorConfig().checksumMode(checksums).defragment(!noDefrag)
                .maxConnections(maxConnections).reassemblyBufferBytes(bufferBytes);
            options = new PcapReplay.Options().config(config).dumpDirectory(dumpDirectory).timedRuns(runs);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new CommandLine.ParameterException(spec.commandLine(), ex.getMessage());
        }
        final PcapReplay.Report report = PcapReplay.run(file, options);
        out.print(json ? report.toJson() + System.lineSeparator() : report.toText());
        out.flush();
        return report.dumpErrors().isEmpty() ? 0 : 1;
    }
}
