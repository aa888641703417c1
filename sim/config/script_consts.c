/*
 * Linux's named constants a script may use, with their values on Linux
 * x86-64, and the fields of the structs a script may read.
 *
 * One table serves both ways: the parser resolves a name to its value
 * (every name, aliases included), and output names a value of a kind
 * (script_const_name: the first entry of that kind and value that is not
 * an alias, so EAGAIN and not EWOULDBLOCK, EOPNOTSUPP and not ENOTSUP).
 * The values come from the C library's own macros where it has them, so
 * they cannot be wrong on the Linux tcpsim is built on; SIG_DFL and
 * SIG_IGN are pointers there, and are written as the numbers the script's
 * signal() takes.
 */
#include "sim/config/script_int.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/sockios.h>


const char *script_option_kind(int64_t level)
{
	return level == SOL_SOCKET ? "sockopt" : level == SOL_TCP ? "tcpopt" : level == SOL_IP ? "ipopt" : NULL;
}

int64_t script_option_level(const char *kind)
{
	return strcmp(kind, "sockopt") == 0 ? SOL_SOCKET : strcmp(kind, "tcpopt") == 0 ? SOL_TCP :
	       strcmp(kind, "ipopt") == 0 ? SOL_IP : -1;
}

#define E(name) { #name, "errno", name, false }
#define ALIAS(name) { #name, "errno", name, true }
#define K(kind, name) { #name, kind, name, false }

static const struct script_const consts[] = {
	/* every errno name of Linux, in the order of its headers */
	E(EPERM), E(ENOENT), E(ESRCH), E(EINTR), E(EIO), E(ENXIO), E(E2BIG), E(ENOEXEC), E(EBADF),
	E(ECHILD), E(EAGAIN), E(ENOMEM), E(EACCES), E(EFAULT), E(ENOTBLK), E(EBUSY), E(EEXIST),
	E(EXDEV), E(ENODEV), E(ENOTDIR), E(EISDIR), E(EINVAL), E(ENFILE), E(EMFILE), E(ENOTTY),
	E(ETXTBSY), E(EFBIG), E(ENOSPC), E(ESPIPE), E(EROFS), E(EMLINK), E(EPIPE), E(EDOM),
	E(ERANGE), E(EDEADLK), E(ENAMETOOLONG), E(ENOLCK), E(ENOSYS), E(ENOTEMPTY), E(ELOOP),
	ALIAS(EWOULDBLOCK), E(ENOMSG), E(EIDRM), E(ECHRNG), E(EL2NSYNC), E(EL3HLT), E(EL3RST),
	E(ELNRNG), E(EUNATCH), E(ENOCSI), E(EL2HLT), E(EBADE), E(EBADR), E(EXFULL), E(ENOANO),
	E(EBADRQC), E(EBADSLT), ALIAS(EDEADLOCK), E(EBFONT), E(ENOSTR), E(ENODATA), E(ETIME),
	E(ENOSR), E(ENONET), E(ENOPKG), E(EREMOTE), E(ENOLINK), E(EADV), E(ESRMNT), E(ECOMM),
	E(EPROTO), E(EMULTIHOP), E(EDOTDOT), E(EBADMSG), E(EOVERFLOW), E(ENOTUNIQ), E(EBADFD),
	E(EREMCHG), E(ELIBACC), E(ELIBBAD), E(ELIBSCN), E(ELIBMAX), E(ELIBEXEC), E(EILSEQ),
	E(ERESTART), E(ESTRPIPE), E(EUSERS), E(ENOTSOCK), E(EDESTADDRREQ), E(EMSGSIZE),
	E(EPROTOTYPE), E(ENOPROTOOPT), E(EPROTONOSUPPORT), E(ESOCKTNOSUPPORT), E(EOPNOTSUPP),
	ALIAS(ENOTSUP), E(EPFNOSUPPORT), E(EAFNOSUPPORT), E(EADDRINUSE), E(EADDRNOTAVAIL),
	E(ENETDOWN), E(ENETUNREACH), E(ENETRESET), E(ECONNABORTED), E(ECONNRESET), E(ENOBUFS),
	E(EISCONN), E(ENOTCONN), E(ESHUTDOWN), E(ETOOMANYREFS), E(ETIMEDOUT), E(ECONNREFUSED),
	E(EHOSTDOWN), E(EHOSTUNREACH), E(EALREADY), E(EINPROGRESS), E(ESTALE), E(EUCLEAN),
	E(ENOTNAM), E(ENAVAIL), E(EISNAM), E(EREMOTEIO), E(EDQUOT), E(ENOMEDIUM), E(EMEDIUMTYPE),
	E(ECANCELED), E(ENOKEY), E(EKEYEXPIRED), E(EKEYREVOKED), E(EKEYREJECTED), E(EOWNERDEAD),
	E(ENOTRECOVERABLE), E(ERFKILL), E(EHWPOISON),

	/* socket(), bind() */
	K("domain", AF_INET),
	K("socktype", SOCK_STREAM), K("socktype", SOCK_NONBLOCK),
	{ "IPPROTO_TCP", "protocol", IPPROTO_TCP, false },
	K("inaddr", INADDR_ANY),

	/* getsockopt(), setsockopt(): SOL_TCP first, as strace names the level */
	K("level", SOL_SOCKET), K("level", SOL_TCP), K("level", SOL_IP),
	{ "IPPROTO_IP", "level", IPPROTO_IP, true },
	K("sockopt", SO_ERROR), K("sockopt", SO_RCVBUF), K("sockopt", SO_SNDBUF),
	K("sockopt", SO_KEEPALIVE), K("sockopt", SO_LINGER), K("sockopt", SO_REUSEADDR),
	K("sockopt", SO_SNDTIMEO), K("sockopt", SO_RCVTIMEO), K("sockopt", SO_TYPE),
	K("tcpopt", TCP_NODELAY), K("tcpopt", TCP_MAXSEG), K("tcpopt", TCP_KEEPIDLE),
	K("tcpopt", TCP_KEEPINTVL), K("tcpopt", TCP_KEEPCNT), K("tcpopt", TCP_USER_TIMEOUT),
	K("tcpopt", TCP_INFO), K("tcpopt", TCP_NOOPT), K("tcpopt", TCP_KEEPINIT),
	K("ipopt", IP_BIND_ADDRESS_NO_PORT), K("ipopt", IP_LOCAL_PORT_RANGE),
	K("ipopt", IP_TTL), K("ipopt", IP_TOS),
	K("iptos", IPTOS_DSCP_CS0), K("iptos", IPTOS_DSCP_CS1), K("iptos", IPTOS_DSCP_CS2),
	K("iptos", IPTOS_DSCP_CS3), K("iptos", IPTOS_DSCP_CS4), K("iptos", IPTOS_DSCP_CS5),
	K("iptos", IPTOS_DSCP_CS6), K("iptos", IPTOS_DSCP_CS7),

	/* shutdown(), fcntl(), ioctl(), send() and recv() flags */
	K("shut", SHUT_RD), K("shut", SHUT_WR), K("shut", SHUT_RDWR),
	K("fcntl", F_GETFL), K("fcntl", F_SETFL), K("oflag", O_RDWR), K("oflag", O_NONBLOCK),
	K("ioctl", FIONREAD), { "SIOCINQ", "ioctl", SIOCINQ, true }, K("ioctl", SIOCOUTQ),
	K("msg", MSG_PEEK), K("msg", MSG_DONTWAIT), K("msg", MSG_WAITALL), K("msg", MSG_NOSIGNAL),

	/* poll() events */
	K("poll", POLLIN), K("poll", POLLPRI), K("poll", POLLOUT), K("poll", POLLERR),
	K("poll", POLLHUP), K("poll", POLLNVAL), K("poll", POLLRDNORM), K("poll", POLLWRNORM),
	K("poll", POLLRDHUP),

	/* signals */
	K("signal", SIGINT), K("signal", SIGPIPE), K("signal", SIGALRM), K("signal", SIGTERM),
	{ "SIG_DFL", "sighandler", 0, false }, { "SIG_IGN", "sighandler", 1, false },
	K("saflag", SA_RESTART),

	/* TCP_INFO's tcpi_state: Linux's numbering (include/net/tcp_states.h) */
	K("tcp_state", TCP_ESTABLISHED), K("tcp_state", TCP_SYN_SENT), K("tcp_state", TCP_SYN_RECV),
	K("tcp_state", TCP_FIN_WAIT1), K("tcp_state", TCP_FIN_WAIT2), K("tcp_state", TCP_TIME_WAIT),
	K("tcp_state", TCP_CLOSE), K("tcp_state", TCP_CLOSE_WAIT), K("tcp_state", TCP_LAST_ACK),
	K("tcp_state", TCP_LISTEN), K("tcp_state", TCP_CLOSING),
};

/* The states as Linux numbers them, which the table's names must give. */
G_STATIC_ASSERT(TCP_ESTABLISHED == 1 && TCP_CLOSING == 11 && TCP_LISTEN == 10);
G_STATIC_ASSERT(SIOCINQ == FIONREAD);

const struct script_const *script_const_find(const char *name)
{
	for (size_t i = 0; name && i < G_N_ELEMENTS(consts); i++)
		if (strcmp(consts[i].name, name) == 0)
			return &consts[i];
	return NULL;
}

const struct script_const *script_consts(size_t *n)
{
	*n = G_N_ELEMENTS(consts);
	return consts;
}

const char *script_const_name(const char *kind, int64_t value)
{
	for (size_t i = 0; kind && i < G_N_ELEMENTS(consts); i++)
		if (!consts[i].alias && consts[i].value == value && strcmp(consts[i].kind, kind) == 0)
			return consts[i].name;
	return NULL;
}

bool script_const_value(const char *name, int64_t *value)
{
	const struct script_const *c = script_const_find(name);
	if (c)
		*value = c->value;
	return c != NULL;
}

/* ---- fields ---- */

/* The structs whose fields a script reads, and those fields. */
static const struct script_struct structs[] = {
	{ "struct pollfd (poll)", "fd events revents" },
	{ "struct tcp_info (TCP_INFO)",
	  "tcpi_state tcpi_ca_state tcpi_retransmits tcpi_probes tcpi_backoff tcpi_options "
	  "tcpi_rto tcpi_ato tcpi_snd_mss tcpi_rcv_mss tcpi_unacked tcpi_sacked tcpi_lost "
	  "tcpi_retrans tcpi_last_data_sent tcpi_last_data_recv tcpi_rtt tcpi_rttvar "
	  "tcpi_snd_ssthresh tcpi_snd_cwnd tcpi_rcv_space tcpi_total_retrans" },
	{ "struct linger (SO_LINGER)", "l_onoff l_linger" },
	{ "struct timeval (SO_SNDTIMEO, SO_RCVTIMEO)", "tv_sec tv_usec" },
};

bool script_field_known(const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; n && i < G_N_ELEMENTS(structs); i++)
		for (const char *f = strstr(structs[i].fields, name); f; f = strstr(f + 1, name))
			if ((f == structs[i].fields || f[-1] == ' ') && (f[n] == ' ' || f[n] == '\0'))
				return true;
	return false;
}

const struct script_struct *script_structs(size_t *n)
{
	*n = G_N_ELEMENTS(structs);
	return structs;
}
