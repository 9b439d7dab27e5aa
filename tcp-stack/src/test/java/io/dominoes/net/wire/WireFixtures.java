package io.dominoes.net.wire;

/**
 * Frames used by several wire tests. The ICMP and ARP frames were built for these tests and checked
 * with {@code tshark -o ip.check_checksum:TRUE -V} (both checksums "[correct]"); the VLAN frame is
 * frame 1 of suricata-verify's sv_tcp-simple-gap.pcap.
 */
final class WireFixtures
{
    /**
     * 02:00:00:00:00:01 to 02:00:00:00:00:02, IPv4 10.77.0.1 to 10.77.0.2, id 0x1c46, DF, TTL 64,
     * ICMP echo request id 0x1234 seq 1, data "abcdefgh". IP checksum 0x09f7, ICMP checksum 0x5435.
     */
    static final String ICMP_ECHO_REQUEST_FRAME =
        "020000000002020000000001" + "0800" +
        "450000241c464000400109f70a4d00010a4d0002" +
        "08005435123400016162636465666768";

    /**
     * Broadcast ARP request "who has 10.77.0.2, tell 10.77.0.1 (02:00:00:00:00:01)", padded to 60.
     */
    static final String ARP_REQUEST_FRAME =
        "ffffffffffff020000000001" + "0806" +
        "0001080006040001" + "020000000001" + "0a4d0001" + "000000000000" + "0a4d0002" +
        "000000000000000000000000000000000000";

    /**
     * 00:01:02:03:04:05 to 05:04:03:02:01:00, 802.1Q VLAN 6, IPv4 1.1.1.1 to 2.2.2.2, TCP SYN.
     */
    static final String VLAN_TCP_FRAME =
        "050403020100000102030405" + "8100" + "0006" + "0800" +
        "4500002c000100004006" + "74c6" + "0101010102020202" +
        "30391f90000000010000000060022000220c0000" + "03030500";

    private WireFixtures()
    {
    }

    static byte[] hex(final String hex)
    {
        return ChecksumsTest.hex(hex);
    }
}
