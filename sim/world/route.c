/*
 * Where a packet a host sends goes: the routing decision of one host,
 * Linux's fib lookup reduced to the three cases a two-host world has.
 *
 *  - to the other host's address: over the link, as every packet of a
 *    scenario with two hosts goes (the other host and the router are in
 *    the ARP cache from time 0, as after earlier traffic: nothing is
 *    resolved, no ARP frame appears);
 *  - to another address of the sender's own subnet: on-link, so the
 *    sender resolves it with ARP (sim/world/neigh.c), and since no host
 *    owns it the resolution fails;
 *  - to an address beyond the subnet, or to the router itself (which
 *    runs no TCP service): to the router, which answers ICMP unreachable
 *    when [network] unreachable says so, else forwards it into a black
 *    hole where nobody answers.
 *
 * The sender's own address would be loopback on a real host; tcpsim has
 * no loopback interface, and keeps its old behaviour: the packet goes to
 * the other host.
 */
#include "sim/world/net_int.h"

bool route_on_subnet(const struct net_endpoint_spec *host, uint32_t addr)
{
	uint32_t mask = host->prefix == 0 ? 0 : ~0u << (32 - host->prefix);
	return ((host->addr ^ addr) & mask) == 0;
}

static bool is_router(const struct net *n, uint32_t addr)
{
	for (int r = 0; r < NET_ROLES; r++)
		if (n->spec.link[r].router == addr)
			return true;
	return false;
}

enum route route_of(const struct net *n, enum net_role from, uint32_t daddr)
{
	const struct net_endpoint_spec *self = &n->spec.ep[from];
	enum net_role peer = from == NET_CLIENT ? NET_SERVER : NET_CLIENT;
	if (daddr == n->spec.ep[peer].addr || daddr == self->addr)
		return ROUTE_PEER;
	if (!is_router(n, daddr) && route_on_subnet(self, daddr))
		return ROUTE_ON_LINK;
	return ROUTE_GATEWAY;
}
