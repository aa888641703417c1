/*
 * struct config -> struct net_spec.  Each endpoint's own settings (address,
 * port, script, repeat, ephemeral port range, TCP parameters), each
 * direction's link, and the targeted faults.
 */
#include "sim/config/spec.h"

#include <string.h>

void config_to_spec(const struct config *cfg, uint64_t run, struct net_spec *spec)
{
	memset(spec, 0, sizeof *spec);
	spec->seed = cfg->seed;
	spec->run = run;
	spec->replay = cfg->path;
	spec->omit = cfg->omit;
	const struct endpoint_config *eps[NET_ROLES] = {&cfg->client, &cfg->server};
	for (int r = 0; r < NET_ROLES; r++) {
		spec->ep[r].addr = eps[r]->addr;
		spec->ep[r].prefix = eps[r]->prefix;
		spec->ep[r].port = eps[r]->port;
		spec->ep[r].script = &eps[r]->script;
		spec->ep[r].repeat = eps[r]->repeat;
		spec->ep[r].ports[0] = eps[r]->ports[0];
		spec->ep[r].ports[1] = eps[r]->ports[1];
		spec->ep[r].tcp = &eps[r]->tcp;
	}
	spec->link[NET_CLIENT] = cfg->c2s;
	spec->link[NET_SERVER] = cfg->s2c;
	spec->faults = cfg->faults;
	spec->n_faults = cfg->n_faults;
}
