/*
 * Private to sim/world: a program, the process that runs an endpoint's
 * script.  It has what a Linux process has for the calls it makes: a table
 * of file descriptors (0-2 taken, so the first socket is 3), the sockets
 * they name, errno, signal dispositions and an alarm clock; and what the
 * interpreter needs: the script's variables and where it is in the script.
 *
 *   app.c      the interpreter: statements, expressions, blocking, signals
 *   syscall.c  the socket calls, with Linux's results in every state
 *   poll.c     readiness: tcp_poll()'s mask, select() and poll()
 *   strace.c   each call as strace prints it
 */
#ifndef SIM_WORLD_APP_H
#define SIM_WORLD_APP_H

#include <gsl/gsl_rng.h>
#include "sim/engine/queue.h"
#include "models/host.h"
#include "sim/config/script.h"

struct net;
struct net_endpoint_spec;

#define APP_MAX_FDS 1024          /* RLIMIT_NOFILE's soft limit */
#define APP_SET_WORDS (APP_MAX_FDS / 64)
#define APP_MAX_DEPTH 64          /* nested blocks */
#define APP_MEMO 32               /* calls completed within one statement */
#define APP_MAX_ARGS 6            /* arguments of a canonical call, at most */

/* Linux's socket->state (include/linux/net.h): what connect() remembers. */
enum sock_ss { SOCK_SS_UNCONNECTED, SOCK_SS_CONNECTING, SOCK_SS_CONNECTED };

/* One socket, as a descriptor names it. */
struct sock {
	enum sock_ss ss;
	bool nonblock;              /* O_NONBLOCK */
	bool bound;                 /* bind() or an implicit bind gave it a port */
	bool port_locked;           /* bind() chose it (SOCK_BINDPORT_LOCK) */
	uint32_t baddr;             /* bound address, 0 = any */
	uint16_t bport;
	struct listener *l;         /* after listen() */
	struct conn *c;             /* after connect() or accept(), until close() */
	bool rd_shut;               /* shutdown(SHUT_RD) */
	bool err_reported;          /* the connection's error was read (SO_ERROR, a call) */
	int err;                    /* a pending error with no connection behind it */
	/* options */
	bool reuseaddr;
	sim_time sndtimeo, rcvtimeo; /* 0 = wait for ever */
	bool linger_on;
	int32_t linger_s;
	uint32_t sndbuf_set, rcvbuf_set; /* as set (before Linux doubles them), 0 = default */
	bool nodelay_set;           /* TCP_NODELAY set or cleared */
	uint32_t user_mss;          /* TCP_MAXSEG set, 0 none */
	bool bind_no_port;          /* IP_BIND_ADDRESS_NO_PORT: bind() to port 0 leaves it to connect() */
	uint16_t port_lo, port_hi;  /* IP_LOCAL_PORT_RANGE, 0 = the host's range */
	bool params_set;            /* some TCP parameter differs from the host's */
	struct tcp_params params;   /* the TCP parameters its connections take */
	struct sock *next_free;
};

enum value_kind { VAL_INT, VAL_FDSET, VAL_POLLFDS, VAL_TCPINFO, VAL_PAIR };

struct app_pollfd {
	int32_t fd;
	int16_t events, revents;
};

/* The few fields of Linux's struct tcp_info a script may read (state in
 * Linux's numbering); snd_wnd is FreeBSD's extension (tcp_fill_info()). */
struct app_tcp_info {
	int64_t state, retransmits, probes, backoff, rto_us, rtt_us, rttvar_us, snd_mss,
	        rcv_mss, unacked, lost, retrans, total_retrans, snd_cwnd, snd_ssthresh;
	int64_t options, snd_wscale, rcv_wscale, snd_wnd;
};

/* A script variable's value: C's int, fd_set, struct pollfd[], struct
 * tcp_info or a pair (struct linger, struct timeval). */
struct value {
	enum value_kind kind;
	int64_t i, j;                        /* VAL_INT; VAL_PAIR: {i, j} */
	uint64_t set[APP_SET_WORDS];         /* VAL_FDSET */
	struct app_pollfd *pfd;              /* VAL_POLLFDS (owned by a variable) */
	uint32_t n_pfd;
	struct app_tcp_info info;            /* VAL_TCPINFO */
};

/* A block being run, and what to do at its end. */
enum frame_kind { FRAME_PLAIN, FRAME_WHILE, FRAME_REPEAT };

struct frame {
	const struct script_block *b;
	uint32_t pc;
	enum frame_kind kind;
	int64_t left;                        /* FRAME_REPEAT: runs still to go */
	const struct script_stmt *loop;      /* FRAME_WHILE: its condition is tested again */
};

/* A call that completed while its statement was being evaluated: when a
 * later call of the statement blocks, the statement is evaluated again
 * and this call's result is taken from here (it is not made twice). */
struct memo {
	const struct script_fcall *call;
	long ret;
	int err;
};

enum sig_disp { SIG_DISP_DEFAULT, SIG_DISP_IGNORE, SIG_DISP_HANDLER };

struct app {
	struct net *net;
	int role;                            /* enum net_role */
	const struct net_endpoint_spec *spec;
	gsl_rng *rng;                        /* generated data */
	bool done;                           /* exited, killed, or at the end for ever */
	uint64_t iteration;                  /* script runs completed */
	/* where the program is */
	struct script_block top;             /* the script's top level, short calls opened */
	struct frame stack[APP_MAX_DEPTH];
	uint32_t depth;
	struct memo memo[APP_MEMO];
	uint32_t n_memo;
	struct value *vars;                  /* one per script variable */
	int64_t errno_val;
	int cur_fd;                          /* the short form's socket, -1 none */
	/* the call in progress */
	const struct script_fcall *call;     /* NULL: none */
	bool woke;                           /* its time limit passed */
	sim_time call_start;
	uint64_t progress;                   /* bytes moved so far; connect: the errno a wait cut
	                                        short by SO_SNDTIMEO returns */
	bool begun;                          /* its first step was made */
	uint32_t call_slot;                  /* its arguments: argv[call_slot * APP_MAX_ARGS...] */
	/* Arguments of the calls being evaluated, a slot of APP_MAX_ARGS per
	 * level of nesting (a call in another's arguments); a blocked call's
	 * slot keeps its arguments, so that waking it needs no evaluation. */
	struct value *argv;
	uint32_t argv_slots, nest;
	struct sim_event wake;               /* the call's time limit, sleep */
	/* data */
	uint8_t *out;                        /* bytes a send still writes; generated ones:
	                                        only those of the current step */
	uint32_t out_len, out_off, out_cap;  /* the call's length, bytes written, room */
	bool out_gen;                        /* generated bytes (payload.h), made as written */
	uint64_t out_key, out_at;            /* ... their key, the offset of the call's first */
	uint8_t *buf;                        /* `buf`: what the last read got */
	uint32_t buf_len, buf_cap;
	/* descriptors */
	struct sock **fds;                   /* fds_cap entries, grown up to APP_MAX_FDS */
	int fds_cap;
	int fd_hi;                           /* one past the highest descriptor ever opened */
	unsigned std_closed;                 /* bits 0-2: stdin, stdout, stderr closed */
	struct sock *free_socks;
	/* signals */
	enum sig_disp sig[65];
	bool sig_restart[65];                /* SA_RESTART */
	struct sim_event alarm;
	int pending_sig;                     /* delivered while a call blocked */
	/* what the last call gave back, for its strace line */
	struct value res[3];                 /* select: in, out, except sets; poll: res[0] */
	struct value opt;                    /* getsockopt, ioctl: the value */
	uint32_t res_addr;                   /* accept, getpeername, getsockname */
	uint16_t res_port;
	int64_t res_nfds;                    /* select: nfds used */
	sim_time res_left;                   /* select: time left of the timeout */
	bool go;                             /* driven (net.h): may start its next statement */
	/* stall detection */
	bool blocked_this_run;
	uint64_t runs_unblocked;
	sim_time steps_time;                 /* statements run at this instant ... */
	uint64_t steps_now;                  /* ... without waiting: a loop that never blocks */
};

/* app.c */
void app_init(struct app *a, struct net *n, int role, gsl_rng *rng);
void app_clear(struct app *a);
void app_run(struct app *a);
void app_forget_conn(struct app *a, struct conn *c); /* the host freed it */
void app_schedule_start(struct app *a);
/* A driven program (net_endpoint_spec.driven) runs its next top-level
 * statement now, and stops before the one after it. */
void app_step(struct app *a);
/* The host crashed: the program's variables, errno and current socket are
 * gone with it (a crash() call; the script goes on as a new process). */
void app_lose_memory(struct app *a);
/* getsockopt(fd, SOL_TCP, TCP_INFO) of the program's descriptor fd, as
 * the program would read it, without making a call (no strace line, no
 * error taken): a packetdrill %{ }% block's snapshot.  false when fd
 * names no socket. */
bool app_fd_tcp_info(struct app *a, int64_t fd, struct app_tcp_info *t);

/* The result of a call: ret, and errno when ret is -1. */
struct sysret {
	long ret;
	int err;
};

enum step { STEP_DONE, STEP_WAIT };

/* syscall.c: one call, with its arguments evaluated (argv[i] is args[i]
 * of the canonical call).  STEP_WAIT: it blocks; it is made again, with
 * a->begun set, when the host or the call's time limit wakes the program. */
enum step sys_call(struct app *a, const struct script_fcall *c, struct value *argv,
                   struct sysret *r);
void sys_close_all(struct app *a);       /* the process ends: the kernel closes its fds */
struct sock *sys_sock(struct app *a, int64_t fd);
bool sys_std_open(const struct app *a, int64_t fd); /* 0, 1 or 2, not closed */
void sys_free_socks(struct app *a);
/* The parameters of a socket of the program bound to port and neither
 * listening nor connected, or NULL. */
const struct tcp_params *app_bound_params(const struct app *a, uint16_t port);
void app_wait_until(struct app *a, sim_time t); /* the call's time limit */
/* An address argument as written, or the short form's default: for bind
 * this endpoint's own port, for connect the server's address and port. */
void sys_addr_of(const struct app *a, const struct script_expr *e, bool bind, uint32_t *addr,
                 uint16_t *port);
/* A signal raised by a call (SIGPIPE): delivered as the call returns. */
void app_raise(struct app *a, int sig);

/* poll.c */
/* Linux tcp_poll()/inet_csk_listen_poll(): the poll mask of a socket. */
unsigned sock_poll_mask(const struct sock *s);
enum step sys_select(struct app *a, const struct script_fcall *c, struct value *argv,
                     struct sysret *r);
enum step sys_poll(struct app *a, const struct script_fcall *c, struct value *argv,
                   struct sysret *r);

/* strace.c: the line strace prints for a call that returned; NULL when
 * no observer prints calls.  g_free it. */
char *strace_line(const struct app *a, const struct script_fcall *c, const struct value *argv,
                  const struct sysret *r);
const char *strace_errno_text(int err);  /* "ECONNREFUSED (Connection refused)" */
/* The same line in at most width characters (see strace.c). */
char *strace_brief(const struct app *a, const struct script_fcall *c, const struct value *argv,
                   const struct sysret *r, size_t width);
/* n bytes of data as strace shows a buffer: at most strsize of them
 * (strace -s), C escapes (\n, \", \ooo...), the closing quote, and "..."
 * after it when some were left out: "abc"...  Never cut inside an escape. */
void strace_quote_data(GString *s, const uint8_t *d, long n, long strsize);
/* The kernel's codes of a call a signal interrupted (include/linux/errno.h),
 * which strace shows as "= ? ERESTARTSYS (To be restarted if SA_RESTART is set)". */
#define STRACE_ERESTARTSYS 512
#define STRACE_ERESTARTNOHAND 514
#define STRACE_ERESTART_RESTARTBLOCK 516

#endif
