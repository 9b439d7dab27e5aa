package io.dominoes.net.iface;

import io.dominoes.net.wire.Ipv4Address;

/**
 * IPv4 routing for one interface: one directly connected subnet plus an optional default gateway.
 * Immutable.
 */
public final class Routes
{
    /**
     * Returned by {@link #nextHop(int)} when there is no route (0.0.0.0 is never a next hop).
     */
    public static final int NO_ROUTE = 0;

    private final int address;
    private final int prefixLength;
    private final int netmask;
    private final int gateway;

    /**
     * @param address      our address.
     * @param prefixLength of the connected subnet, 1..32.
     * @param gateway      default gateway inside the subnet, or {@link Ipv4Address#ANY} for none.
     */
    public Routes(final int address, final int prefixLength, final int gateway)
    {
        if (prefixLength < 1 || prefixLength > 32)
        {
            throw new IllegalArgumentException("prefixLength=" + prefixLength + " outside 1..32");
        }
        if (gateway != Ipv4Address.ANY && !Ipv4Address.inSubnet(gateway, address, prefixLength))
        {
            throw new IllegalArgumentException("gateway " + Ipv4Address.toString(gateway) + " is not in " +
                Ipv4Address.toString(address) + "/" + prefixLength);
        }
        this.address = address;
        this.prefixLength = prefixLength;
        this.netmask = Ipv4Address.netmask(prefixLength);
        this.gateway = gateway;
    }

    public int address()
    {
        return address;
    }

    public int prefixLength()
    {
        return prefixLength;
    }

    public int gateway()
    {
        return gateway;
    }

    /**
     * @return the subnet's directed broadcast address (all host bits set).
     */
    public int subnetBroadcast()
    {
        return (address & netmask) | ~netmask;
    }

    /**
     * @param destination address.
     * @return true if it is the limited or our subnet's broadcast address.
     */
    public boolean isBroadcast(final int destination)
    {
        return destination == Ipv4Address.BROADCAST || (prefixLength < 31 && destination == subnetBroadcast());
    }

    /**
     * @param destination address.
     * @return true if the destination is on the connected subnet.
     */
    public boolean isOnLink(final int destination)
    {
        return (destination & netmask) == (address & netmask);
    }

    /**
     * @param destination address.
     * @return the address whose MAC the frame goes to: the destination itself when on link, else the
     * gateway; {@link #NO_ROUTE} if off link without a gateway.
     */
    public int nextHop(final int destination)
    {
        if (isOnLink(destination) || destination == Ipv4Address.BROADCAST)
        {
            return destination;
        }
        return gateway;
    }
}
