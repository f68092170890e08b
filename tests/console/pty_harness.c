/* pty_harness.c: runs a command on a real pseudo-terminal and plays a
 * script of steps against it, recording every byte the command writes.
 * Used by test_terminal.sh; the console has no test mode on this path.
 *
 * Usage: pty_harness [-s COLSxLINES] [-t TERM] [-o LOG] [-e ERRFILE]
 *                    SCRIPT COMMAND [ARG...]
 *   -s  the terminal's size (default 80x24)
 *   -t  TERM for the command (default: inherited)
 *   -o  writes everything the command wrote to LOG
 *   -e  the command's standard error goes to ERRFILE, not the terminal
 *
 * The command runs as a job would under a shell: in its own process group,
 * the terminal's foreground group, below a small session leader that
 * forwards a hangup to it (as shells do) and tells us its exit status. So
 * Ctrl-Z really stops it (a process group with no parent in the session is
 * orphaned, and Linux discards SIGTSTP there) and closing the terminal
 * really hangs it up.
 *
 * The script, one step a line; blank lines and lines starting with # are
 * ignored. BYTES and TEXT take the escapes \e \a \b \t \n \r \\ \xHH.
 *   test DESCRIPTION  starts a test point: it passes when every step up to
 *                     the next `test` passes; after a failing step the rest
 *                     of its steps are skipped. Steps before the first
 *                     `test` form the point "start".
 *   send BYTES        writes BYTES to the terminal
 *   wait TEXT         reads until TEXT is in what the command wrote since
 *                     the last send, resize, signal or mark (5 s at most)
 *   mark              resets the byte counter (and where `wait` looks)
 *   settle            reads until the command has been quiet for 300 ms
 *   sleep MS          reads (and records) for MS ms, whatever comes: a
 *                     pause between sends, as a person typing makes
 *   bytes<=N [LABEL]  settles, then the bytes since the mark are at most N;
 *                     prints "# LABEL N bytes"
 *   idle MS           settles, then nothing at all comes for MS ms
 *   resize COLSxLINES sets the terminal's size (the kernel sends SIGWINCH)
 *   signal NAME       sends HUP, TERM, INT, CONT, ... to the command
 *   hangup            closes the terminal, as a dropped connection does
 *   stopped           the command is stopped (5 s at most)
 *   tty-sane          the terminal is back in normal mode: ICANON, ECHO
 *                     and ISIG on (5 s at most)
 *   tty-raw           the terminal is in the program's mode: ICANON off
 *   colour yes|no     whether any SGR sequence (ESC [ ... m) in the whole
 *                     output sets a colour (30-49, 90-107)
 *   forbid BYTES      checked at the end: BYTES never occurs in the output
 *   expect-exit N     the command exits with status N (5 s at most);
 *                     N is !0 for any status but 0
 * (Each "at most" and the 300 ms are times ACCESSDESK_WAIT_SCALE, if set;
 * then resize settles first.)
 *
 * Output: one TAP line per test point, "ok - DESCRIPTION" or "not ok -
 * DESCRIPTION" with the reason as "# " lines, unnumbered (the caller
 * numbers them). Exit status 0 when all passed, 1 otherwise, 2 on usage.
 */
#define _DEFAULT_SOURCE 1
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* Both times scaled by ACCESSDESK_WAIT_SCALE when it is set, as under a
 * wrapper that slows the command down (tests/console/wrap.sh). */
static long wait_scale = 1;
#define TIMEOUT_MS (5000 * wait_scale)
#define QUIET_MS   (300 * wait_scale)

static int master = -1;
static pid_t leader = -1; /* the session leader forkpty made */
static pid_t job = -1;    /* the command, below it */
static int status_fd = -1;
static bool closed; /* every slave side of the terminal is closed */
static bool exited;
static int exit_status;
static FILE *log_file;

/* Everything the command wrote. */
static char *out;
static size_t out_len, out_cap;
static size_t mark_at; /* the byte counter's zero */
static size_t wait_at; /* where `wait` looks from */

/* The current test point. */
static char point[512] = "start";
static bool point_failed, point_reported, point_used;
static int failures;

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static void
fail(const char *fmt, ...)
{
	va_list ap;
	if (!point_failed) {
		printf("not ok - %s\n", point);
		failures++;
	}
	point_failed = true;
	point_reported = true;
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static void end_point(void)
{
	if (point_used && !point_reported)
		printf("ok - %s\n", point);
	fflush(stdout);
}

/* ---- escapes ---------------------------------------------------------- */

/* Decodes the escapes of s into buf; returns the length. */
static size_t unescape(const char *s, char *buf, size_t cap)
{
	size_t n = 0;
	while (*s && n + 1 < cap) {
		char c = *s++;
		if (c == '\\' && *s) {
			char e = *s++;
			switch (e) {
			case 'e':
				c = 27;
				break;
			case 'a':
				c = 7;
				break;
			case 'b':
				c = 8;
				break;
			case 't':
				c = 9;
				break;
			case 'n':
				c = 10;
				break;
			case 'r':
				c = 13;
				break;
			case 'x': {
				char hex[3] = {0};
				for (int i = 0; i < 2 && *s; i++)
					hex[i] = *s++;
				c = (char)strtol(hex, NULL, 16);
				break;
			}
			default:
				c = e;
			}
		}
		buf[n++] = c;
	}
	buf[n] = '\0';
	return n;
}

/* Writes bytes readably (for diagnostics). */
static void show(char *dst, size_t cap, const char *s, size_t n)
{
	size_t at = 0;
	dst[0] = '\0';
	for (size_t i = 0; i < n && at + 5 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 27)
			at += (size_t)snprintf(dst + at, cap - at, "\\e");
		else if (c < 32 || c >= 127)
			at +=
			    (size_t)snprintf(dst + at, cap - at, "\\x%02x", c);
		else
			dst[at++] = (char)c;
		dst[at] = '\0';
	}
}

static const char *find(const char *hay, size_t n, const char *needle, size_t m)
{
	if (m == 0)
		return hay;
	for (size_t i = 0; i + m <= n; i++)
		if (memcmp(hay + i, needle, m) == 0)
			return hay + i;
	return NULL;
}

/* ---- the terminal ----------------------------------------------------- */

static void record(const char *buf, size_t n)
{
	if (out_len + n > out_cap) {
		size_t cap = out_cap ? out_cap * 2 : 65536;
		while (cap < out_len + n)
			cap *= 2;
		char *p = realloc(out, cap);
		if (!p) {
			fprintf(stderr, "pty_harness: out of memory\n");
			exit(2);
		}
		out = p;
		out_cap = cap;
	}
	memcpy(out + out_len, buf, n);
	out_len += n;
	if (log_file)
		fwrite(buf, 1, n, log_file);
}

/* Reads what arrives within ms milliseconds (0: only what is there);
 * returns the bytes read, -1 once the terminal is closed. */
static long read_for(int ms)
{
	if (master < 0 || closed) {
		poll(NULL, 0, ms); /* nothing can come: just wait */
		return -1;
	}
	struct pollfd p = {master, POLLIN, 0};
	int r = poll(&p, 1, ms);
	if (r <= 0)
		return 0;
	char buf[4096];
	ssize_t n = read(master, buf, sizeof buf);
	if (n <= 0) {
		closed = true; /* EIO: the command and its leader are gone */
		return -1;
	}
	record(buf, (size_t)n);
	return n;
}

/* Reads until nothing came for QUIET_MS (or the terminal closed); false
 * when the output never paused within TIMEOUT_MS. */
static bool settle(void)
{
	long start = now_ms();
	while (now_ms() - start < TIMEOUT_MS) {
		long n = read_for(QUIET_MS);
		if (n <= 0)
			return true;
	}
	return false;
}

static void drain(void)
{
	while (read_for(0) > 0)
		;
}

static void set_size(const char *spec, struct winsize *ws)
{
	int cols, lines;
	if (sscanf(spec, "%dx%d", &cols, &lines) != 2 || cols < 1 ||
	    lines < 1) {
		fprintf(stderr, "pty_harness: bad size \"%s\"\n", spec);
		exit(2);
	}
	*ws = (struct winsize){.ws_row = (unsigned short)lines,
	                       .ws_col = (unsigned short)cols};
}

/* ---- the job ---------------------------------------------------------- */

static volatile sig_atomic_t leader_hup;

static void on_leader_hup(int sig)
{
	(void)sig;
	leader_hup = 1;
}

/* The session leader: starts the command as the foreground job, tells the
 * harness its pid, forwards a hangup, then reports its wait status. */
static void run_leader(int fd, char **argv, const char *errfile)
{
	signal(SIGTTOU, SIG_IGN);
	pid_t pid = fork();
	if (pid < 0)
		_exit(127);
	if (pid == 0) {
		setpgid(0, 0);
		tcsetpgrp(STDIN_FILENO, getpid());
		signal(SIGTTOU, SIG_DFL);
		close(fd);
		if (errfile) {
			int e =
			    open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			if (e >= 0) {
				dup2(e, STDERR_FILENO);
				close(e);
			}
		}
		execvp(argv[0], argv);
		fprintf(stderr, "pty_harness: %s: %s\n", argv[0],
		        strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	tcsetpgrp(STDIN_FILENO, pid);
	struct sigaction sa = {0};
	sa.sa_handler = on_leader_hup;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	int v = (int)pid;
	if (write(fd, &v, sizeof v) != sizeof v)
		_exit(127);
	int st;
	bool forwarded = false;
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR)
			_exit(127);
		if (leader_hup && !forwarded) {
			kill(-pid, SIGHUP);
			kill(-pid, SIGCONT);
			forwarded = true;
		}
	}
	v = st;
	if (write(fd, &v, sizeof v) != sizeof v)
		_exit(127);
	_exit(0);
}

static void start(char **argv, const char *size, const char *term,
                  const char *errfile)
{
	struct winsize ws;
	set_size(size, &ws);
	int fds[2];
	if (pipe(fds) < 0) {
		perror("pty_harness: pipe");
		exit(2);
	}
	fflush(stdout);
	leader = forkpty(&master, NULL, NULL, &ws);
	if (leader < 0) {
		perror("pty_harness: forkpty");
		exit(2);
	}
	if (leader == 0) {
		close(fds[0]);
		if (term)
			setenv("TERM", term, 1);
		run_leader(fds[1], argv, errfile);
	}
	close(fds[1]);
	status_fd = fds[0];
	int v;
	if (read(status_fd, &v, sizeof v) != sizeof v) {
		fprintf(stderr, "pty_harness: the command did not start\n");
		exit(2);
	}
	job = (pid_t)v;
}

/* Waits up to ms for the command's exit status; true once it is known. */
static bool wait_exit(int ms)
{
	long start = now_ms();
	while (!exited && now_ms() - start < ms) {
		drain(); /* the command may be blocked writing */
		struct pollfd p = {status_fd, POLLIN, 0};
		if (poll(&p, 1, 20) > 0) {
			int v;
			exit_status =
			    read(status_fd, &v, sizeof v) == sizeof v ? v : -1;
			exited = true;
		}
	}
	if (exited) {
		waitpid(leader, NULL, 0);
		long end = now_ms();
		while (now_ms() - end < 1000 && read_for(100) >= 0)
			;
	}
	return exited;
}

static int signal_of(const char *name)
{
	static const struct {
		const char *name;
		int sig;
	} sigs[] = {{"HUP", SIGHUP},   {"TERM", SIGTERM},  {"INT", SIGINT},
	            {"CONT", SIGCONT}, {"STOP", SIGSTOP},  {"KILL", SIGKILL},
	            {"TSTP", SIGTSTP}, {"WINCH", SIGWINCH}};
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
		if (strcmp(name, sigs[i].name) == 0)
			return sigs[i].sig;
	return 0;
}

/* The command's state letter from /proc (R, S, T, Z...), or 0. */
static char proc_state(void)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%ld/stat", (long)job);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')'); /* after the command's name */
	return p && p[1] == ' ' ? p[2] : 0;
}

static bool tty_lflag(tcflag_t *lflag)
{
	struct termios t;
	if (master < 0 || tcgetattr(master, &t) < 0)
		return false;
	*lflag = t.c_lflag;
	return true;
}

/* Whether an SGR sequence of the output sets a colour. */
static bool colour_seen(char *which, size_t cap)
{
	for (size_t i = 0; i + 2 < out_len; i++) {
		if (out[i] != 27 || out[i + 1] != '[')
			continue;
		size_t j = i + 2;
		while (j < out_len &&
		       ((out[j] >= '0' && out[j] <= '9') || out[j] == ';'))
			j++;
		if (j >= out_len || out[j] != 'm')
			continue;
		char params[64];
		size_t len = j - (i + 2);
		if (len >= sizeof params)
			len = sizeof params - 1;
		memcpy(params, out + i + 2, len);
		params[len] = '\0';
		char *save = NULL;
		for (char *t = strtok_r(params, ";", &save); t;
		     t = strtok_r(NULL, ";", &save)) {
			int v = atoi(t);
			if ((v >= 30 && v <= 49) || (v >= 90 && v <= 107)) {
				show(which, cap, out + i, j - i + 1);
				return true;
			}
		}
	}
	return false;
}

/* ---- the steps -------------------------------------------------------- */

#define MAX_FORBID 64
static char *forbidden[MAX_FORBID];
static size_t forbidden_len[MAX_FORBID];
static int n_forbidden;

static void step(const char *cmd, const char *arg, int lineno)
{
	char bytes[4096], shown[4096];
	size_t n = unescape(arg, bytes, sizeof bytes);

	if (strcmp(cmd, "send") == 0) {
		drain();
		wait_at = out_len;
		if (master < 0 || write(master, bytes, n) != (ssize_t)n)
			fail("line %d: cannot write to the terminal", lineno);
	} else if (strcmp(cmd, "wait") == 0) {
		long start = now_ms();
		for (;;) {
			if (find(out + wait_at, out_len - wait_at, bytes, n))
				return;
			long left = TIMEOUT_MS - (now_ms() - start);
			if (left <= 0 || read_for((int)left) < 0)
				break;
		}
		show(shown, sizeof shown, bytes, n);
		char tail[600];
		size_t from = out_len > wait_at + 200 ? out_len - 200 : wait_at;
		show(tail, sizeof tail, out + from, out_len - from);
		fail("line %d: \"%s\" did not come within 5 s; the last of "
		     "what came: \"%s\"",
		     lineno, shown, tail);
	} else if (strcmp(cmd, "mark") == 0) {
		drain();
		mark_at = wait_at = out_len;
	} else if (strcmp(cmd, "settle") == 0) {
		if (!settle())
			fail("line %d: the output did not pause within 5 s",
			     lineno);
	} else if (strcmp(cmd, "sleep") == 0) {
		long start = now_ms(), ms = strtol(arg, NULL, 10);
		while (now_ms() - start < ms)
			if (read_for((int)(ms - (now_ms() - start))) < 0)
				break;
	} else if (strcmp(cmd, "bytes<=") == 0) {
		long max = strtol(arg, NULL, 10);
		const char *label = strchr(arg, ' ');
		label = label ? label + 1 : "output";
		if (!settle())
			fail("line %d: the output did not pause within 5 s",
			     lineno);
		size_t got = out_len - mark_at;
		printf("# %s %zu bytes\n", label, got);
		if ((long)got > max)
			fail("line %d: %s: %zu bytes, more than %ld", lineno,
			     label, got, max);
	} else if (strcmp(cmd, "idle") == 0) {
		if (!settle())
			fail("line %d: the output did not pause within 5 s",
			     lineno);
		size_t before = out_len;
		long start = now_ms(), ms = strtol(arg, NULL, 10);
		while (now_ms() - start < ms)
			if (read_for((int)(ms - (now_ms() - start))) < 0)
				break;
		if (out_len != before) {
			show(shown, sizeof shown, out + before,
			     out_len - before);
			fail("line %d: %zu bytes while idle: \"%.300s\"",
			     lineno, out_len - before, shown);
		}
	} else if (strcmp(cmd, "resize") == 0) {
		struct winsize ws;
		set_size(arg, &ws);
		/* Under a wrapper, first let the command go idle: valgrind
		 * 3.19 mishandles a signal that comes just as the command
		 * enters ppoll(), which then fails (tests/valgrind.supp). */
		if (wait_scale > 1)
			settle();
		drain();
		wait_at = out_len;
		if (ioctl(master, TIOCSWINSZ, &ws) < 0)
			fail("line %d: TIOCSWINSZ failed", lineno);
	} else if (strcmp(cmd, "signal") == 0) {
		int sig = signal_of(arg);
		if (!sig) {
			fprintf(stderr, "pty_harness: unknown signal %s\n",
			        arg);
			exit(2);
		}
		drain();
		wait_at = out_len;
		if (kill(job, sig) < 0)
			fail("line %d: kill %s: %s", lineno, arg,
			     strerror(errno));
	} else if (strcmp(cmd, "hangup") == 0) {
		drain();
		close(master);
		master = -1;
	} else if (strcmp(cmd, "stopped") == 0) {
		long start = now_ms();
		char st = 0;
		while (now_ms() - start < TIMEOUT_MS &&
		       (st = proc_state()) != 'T') {
			read_for(50);
		}
		if (st != 'T')
			fail("line %d: the command is not stopped (state %c)",
			     lineno, st ? st : '?');
	} else if (strcmp(cmd, "tty-sane") == 0 ||
	           strcmp(cmd, "tty-raw") == 0) {
		bool sane = strcmp(cmd, "tty-sane") == 0;
		tcflag_t want = sane ? (ICANON | ECHO | ISIG) : 0, l = 0;
		long start = now_ms();
		bool got = false;
		while (now_ms() - start < TIMEOUT_MS) {
			if (tty_lflag(&l) &&
			    (sane ? (l & want) == want : !(l & ICANON))) {
				got = true;
				break;
			}
			read_for(50);
		}
		if (!got)
			fail("line %d: the terminal is not in %s mode "
			     "(c_lflag %#lo)",
			     lineno, sane ? "normal" : "raw", (unsigned long)l);
	} else if (strcmp(cmd, "colour") == 0) {
		bool want = strcmp(arg, "yes") == 0;
		settle();
		char which[128] = "";
		bool seen = colour_seen(which, sizeof which);
		if (seen != want)
			fail("line %d: %s", lineno,
			     seen ? "a colour was sent" : "no colour was sent");
		if (seen && !want)
			printf("# the first: \"%s\"\n", which);
	} else if (strcmp(cmd, "forbid") == 0) {
		if (n_forbidden < MAX_FORBID) {
			forbidden[n_forbidden] = malloc(n + 1);
			if (forbidden[n_forbidden]) {
				memcpy(forbidden[n_forbidden], bytes, n + 1);
				forbidden_len[n_forbidden++] = n;
			}
		}
	} else if (strcmp(cmd, "expect-exit") == 0) {
		bool nonzero = strcmp(arg, "!0") == 0;
		int want = (int)strtol(arg, NULL, 10);
		if (!wait_exit(TIMEOUT_MS)) {
			fail("line %d: the command did not exit within 5 s",
			     lineno);
		} else if (WIFSIGNALED(exit_status)) {
			fail("line %d: killed by signal %d%s", lineno,
			     WTERMSIG(exit_status),
			     WCOREDUMP(exit_status) ? " (core dumped)" : "");
		} else if (!WIFEXITED(exit_status) ||
		           (nonzero ? WEXITSTATUS(exit_status) == 0
		                    : WEXITSTATUS(exit_status) != want)) {
			fail("line %d: exit status %d, not %s", lineno,
			     WIFEXITED(exit_status) ? WEXITSTATUS(exit_status)
			                            : -1,
			     arg);
		}
	} else {
		fprintf(stderr, "pty_harness: line %d: unknown step \"%s\"\n",
		        lineno, cmd);
		exit(2);
	}
}

static void check_forbidden(void)
{
	for (int i = 0; i < n_forbidden; i++) {
		char shown[512];
		show(shown, sizeof shown, forbidden[i], forbidden_len[i]);
		snprintf(point, sizeof point, "never sent \"%.400s\"", shown);
		point_failed = point_reported = false;
		point_used = true;
		const char *at =
		    find(out, out_len, forbidden[i], forbidden_len[i]);
		if (at) {
			char ctx[512];
			size_t from = (size_t)(at - out) > 40
			                  ? (size_t)(at - out) - 40
			                  : 0;
			size_t len =
			    out_len - from < 100 ? out_len - from : 100;
			show(ctx, sizeof ctx, out + from, len);
			fail("sent at byte %zu: \"...%s...\"",
			     (size_t)(at - out), ctx);
		}
		end_point();
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: pty_harness [-s COLSxLINES] [-t TERM] [-o LOG] "
	                "[-e ERRFILE] SCRIPT COMMAND [ARG...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *size = "80x24", *term = NULL, *logpath = NULL,
	           *errfile = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "+s:t:o:e:")) != -1) {
		switch (opt) {
		case 's':
			size = optarg;
			break;
		case 't':
			term = optarg;
			break;
		case 'o':
			logpath = optarg;
			break;
		case 'e':
			errfile = optarg;
			break;
		default:
			usage();
		}
	}
	if (argc - optind < 2)
		usage();
	const char *scale = getenv("ACCESSDESK_WAIT_SCALE");
	if (scale && atol(scale) > 0)
		wait_scale = atol(scale);
	FILE *script = fopen(argv[optind], "r");
	if (!script) {
		perror(argv[optind]);
		return 2;
	}
	if (logpath && !(log_file = fopen(logpath, "wb"))) {
		perror(logpath);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	start(argv + optind + 1, size, term, errfile);

	char line[4096];
	int lineno = 0;
	while (fgets(line, sizeof line, script)) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char *arg = line + strcspn(line, " ");
		if (strncmp(line, "bytes<=", 7) == 0)
			arg = line + 7;
		char cmd[32];
		size_t len = (size_t)(arg - line);
		snprintf(cmd, sizeof cmd, "%.*s", (int)len, line);
		if (*arg == ' ')
			arg++;
		if (strcmp(cmd, "test") == 0) {
			end_point();
			snprintf(point, sizeof point, "%.500s", arg);
			point_failed = point_reported = false;
			point_used = true;
			continue;
		}
		if (strcmp(cmd, "forbid") != 0)
			point_used = true;
		if (point_failed && strcmp(cmd, "forbid") != 0)
			continue; /* the rest of a failed point */
		step(cmd, arg, lineno);
	}
	end_point();
	fclose(script);

	/* Whatever the script did, the command does not outlive us. */
	if (!exited && job > 0) {
		kill(-job, SIGKILL);
		wait_exit(TIMEOUT_MS);
	} else {
		drain();
	}
	check_forbidden();
	if (log_file)
		fclose(log_file);
	return failures ? 1 : 0;
}
