/* rp-testserver: a small scriptable HTTP / WebSocket / TCP peer for the
 * plugin tests, for the behaviour no stock server gives on demand.
 *
 *   rp-testserver [--listen ADDR] [--port N] [--mode MODE] [--banner TEXT]
 *
 * It listens (port 0 picks a free one), prints the port on stdout, then
 * serves each connection in a forked child until it is killed. It stops by
 * itself after --lifetime seconds (default 600) so a crashed test can never
 * leave it behind for long.
 *
 * --mode http (default): the request path chooses the behaviour:
 *   /status/CODE?h=Name:value&ctype=T&body=TEXT&delay=MS
 *                      answer CODE with these headers and body, after MS ms
 *   /json?body=TEXT    200 with Content-Type application/json
 *   /health            200, an IETF health+json document that passes
 *   /redirect?to=URL&code=302
 *   /need-bearer/TOKEN 200 when "Authorization: Bearer TOKEN" was sent,
 *                      else 401 with a WWW-Authenticate challenge
 *   /need-bearer       the same with the token given by --bearer TOKEN
 *   /need-basic        200 when Basic credentials match --basic USER:PASSWORD
 *   /echo              200, the request head as the body
 *   /error-rate/PCT    PCT % of requests (counted over all connections)
 *                      answer 500, the rest 200
 *   /stall?after=K&ms=N&delay=D
 *                      every request answers after D ms; the K-th (counted
 *                      over all connections) stalls the whole server for N
 *                      ms: it and every request arriving meanwhile wait
 *                      for the stall's end (a pause, as a GC or a lock)
 *   /reset             read the request, reset the connection (RST)
 *   /stop-after/K      the first K requests answer 200, later ones never
 *   /drip?bytes=N&interval=MS   a body sent one byte every MS ms
 *   /endless           a chunked body that never ends
 *   /silence           read the request, never answer
 *   /close             read the request, close without answering
 *   /garbage           answer with binary junk instead of HTTP
 *   /ws                WebSocket upgrade: 101 with the correct accept key
 *   /ws-bad-accept     101 with a wrong Sec-WebSocket-Accept
 *   /auth/login, /api/me, /api/session: a login issuing JWTs and a
 *                      session cookie (rp-testserver-auth.c)
 *   anything else      200 "ok"
 * --mode silent: accept and never read or write.
 * --mode banner: write --banner TEXT (with \r\n) on connect, then echo lines.
 * --mode garbage: write junk bytes on connect and close.
 * --mode close: accept and close at once.
 * --mode engine: a container engine API whose first --fail-first K
 *   requests (counted over all connections) answer 500 as Podman does
 *   when a container exits under the call; later ones list no container
 *   and find none (404).
 * --unix PATH listens on a unix socket at PATH instead and prints "unix". */
#include "rp-testserver.h"
#include "rp_util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_REQUEST 65536

static void write_str(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, s, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void sleep_forever(void)
{
	for (;;)
		pause();
}

/* Reads up to the end of the request head. */
static size_t read_head(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	while (len + 1 < cap) {
		ssize_t n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if (strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n"))
			break;
	}
	buf[len] = '\0';
	return len;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static char *url_decode(const char *s, size_t len)
{
	char *out = rp_xmalloc(len + 1);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '%' && i + 2 < len && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
			out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
			i += 2;
		} else if (s[i] == '+') {
			out[o++] = ' ';
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

/* The value of query parameter name (the nth occurrence), decoded, or NULL. */
char *query_param(const char *query, const char *name, int nth)
{
	size_t nl = strlen(name);
	const char *p = query;
	while (p && *p) {
		size_t len = strcspn(p, "&");
		if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
			if (nth-- == 0)
				return url_decode(p + nl + 1, len - nl - 1);
		}
		p += len;
		if (*p == '&')
			p++;
	}
	return NULL;
}

long query_long(const char *query, const char *name, long dflt)
{
	char *v = query_param(query, name, 0);
	long r = v ? strtol(v, NULL, 10) : dflt;
	free(v);
	return r;
}

static const char *reason(int code)
{
	switch (code) {
	case 200:
		return "OK";
	case 204:
		return "No Content";
	case 301:
		return "Moved Permanently";
	case 302:
		return "Found";
	case 304:
		return "Not Modified";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 500:
		return "Internal Server Error";
	case 503:
		return "Service Unavailable";
	}
	return "Status";
}

void respond(int fd, int code, const char *ctype, const char *extra_headers, const char *body)
{
	struct rp_buf b;
	rp_buf_init(&b);
	rp_buf_printf(&b, "HTTP/1.1 %d %s\r\nServer: rp-testserver\r\nConnection: close\r\n", code,
	              reason(code));
	if (ctype)
		rp_buf_printf(&b, "Content-Type: %s\r\n", ctype);
	if (extra_headers)
		rp_buf_puts(&b, extra_headers);
	rp_buf_printf(&b, "Content-Length: %zu\r\n\r\n%s", strlen(body), body);
	write_str(fd, b.data, b.len);
	rp_buf_free(&b);
}

char *header_value(const char *head, const char *name)
{
	size_t nl = strlen(name);
	for (const char *p = strstr(head, "\n"); p; p = strstr(p + 1, "\n")) {
		const char *line = p + 1;
		if (strncasecmp(line, name, nl) == 0 && line[nl] == ':') {
			const char *v = line + nl + 1;
			while (*v == ' ')
				v++;
			size_t len = strcspn(v, "\r\n");
			return rp_xstrndup(v, len);
		}
	}
	return NULL;
}

static void junk(int fd)
{
	unsigned char bytes[512];
	unsigned int seed = (unsigned int)getpid();
	for (size_t i = 0; i < sizeof bytes; i++)
		bytes[i] = (unsigned char)(rand_r(&seed) & 0xff);
	bytes[0] = 0xff;
	write_str(fd, (const char *)bytes, sizeof bytes);
}

static void websocket(int fd, const char *head, bool bad_accept)
{
	char *key = header_value(head, "Sec-WebSocket-Key");
	if (!key) {
		respond(fd, 400, "text/plain", NULL, "no Sec-WebSocket-Key\n");
		return;
	}
	static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
	char *cat = rp_xasprintf("%s%s", bad_accept ? "x" : "", key);
	struct rp_buf in;
	rp_buf_init(&in);
	rp_buf_puts(&in, cat);
	rp_buf_puts(&in, guid);
	unsigned char digest[SHA_DIGEST_LENGTH];
	SHA1((const unsigned char *)in.data, in.len, digest);
	unsigned char accept[64];
	EVP_EncodeBlock(accept, digest, SHA_DIGEST_LENGTH);
	char *resp = rp_xasprintf("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
	                          "Connection: Upgrade\r\nSec-WebSocket-Accept: %s\r\n\r\n",
	                          (const char *)accept);
	write_str(fd, resp, strlen(resp));
	free(resp);
	free(cat);
	free(key);
	rp_buf_free(&in);
	sleep_ms(2000);
}

static void status_route(int fd, int code, const char *query)
{
	struct rp_buf headers;
	rp_buf_init(&headers);
	char *h;
	for (int i = 0; (h = query_param(query, "h", i)) != NULL; i++) {
		char *colon = strchr(h, ':');
		if (colon) {
			*colon = '\0';
			const char *v = colon + 1;
			while (*v == ' ')
				v++;
			rp_buf_printf(&headers, "%s: %s\r\n", h, v);
		}
		free(h);
	}
	long delay = query_long(query, "delay", 0);
	if (delay > 0)
		sleep_ms(delay);
	char *ctype = query_param(query, "ctype", 0);
	char *body = query_param(query, "body", 0);
	respond(fd, code, ctype ? ctype : "text/plain", headers.data, body ? body : "");
	free(ctype);
	free(body);
	rp_buf_free(&headers);
}

static void need_auth(int fd, const char *head, const char *want, const char *challenge)
{
	char *auth = header_value(head, "Authorization");
	if (auth && want && strcmp(auth, want) == 0)
		respond(fd, 200, "application/json", NULL, "{\"status\":\"ok\"}");
	else
		respond(fd, 401, "application/json", challenge, "{\"error\":\"unauthorized\"}");
	free(auth);
}

static char *base64(const char *s)
{
	unsigned char out[512];
	size_t len = strlen(s);
	if (len > 300)
		len = 300;
	EVP_EncodeBlock(out, (const unsigned char *)s, (int)len);
	return rp_xstrdup((const char *)out);
}

/* /drip?bytes=N&interval=MS: a body one byte at a time. */
static void drip(int fd, const char *query)
{
	long bytes = query_long(query, "bytes", 10), interval = query_long(query, "interval", 1000);
	char *hdr = rp_xasprintf("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
	                         "Content-Length: %ld\r\nConnection: close\r\n\r\n",
	                         bytes);
	write_str(fd, hdr, strlen(hdr));
	free(hdr);
	for (long i = 0; i < bytes; i++) {
		write_str(fd, "x", 1);
		sleep_ms(interval);
	}
}

/* /endless: a chunked body that never ends. */
static void endless(int fd)
{
	static const char hdr[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
	                          "Transfer-Encoding: chunked\r\n\r\n";
	write_str(fd, hdr, sizeof hdr - 1);
	char chunk[4096 + 16];
	memset(chunk, 'y', sizeof chunk);
	int n = snprintf(chunk, sizeof chunk, "1000\r\n");
	memset(chunk + n, 'y', 4096);
	memcpy(chunk + n + 4096, "\r\n", 2);
	for (;;) {
		ssize_t w = write(fd, chunk, (size_t)n + 4096 + 2);
		if (w <= 0)
			break;
	}
}

/* /need-bearer/TOKEN: 200 with that token, else 401 with a challenge. */
static void bearer_in_path(int fd, const char *head, const char *token)
{
	char *auth = header_value(head, "Authorization");
	char *want = rp_xasprintf("Bearer %s", token);
	if (auth && strcmp(auth, want) == 0)
		respond(fd, 200, "application/json", NULL, "{\"status\":\"ok\"}");
	else
		respond(fd, 401, "application/json",
		        "WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\"\r\n",
		        "{\"error\":\"unauthorized\"}");
	free(auth);
	free(want);
}

/* What the forked children share: a request counter and a stall's end. */
struct shared {
	atomic_uint counter;
	atomic_llong stall_until_ms; /* CLOCK_MONOTONIC */
};

static long long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void stall_route(int fd, const char *query, struct shared *sh)
{
	unsigned int n = atomic_fetch_add(&sh->counter, 1) + 1;
	long long now = mono_ms();
	if (n == (unsigned int)query_long(query, "after", 0))
		atomic_store(&sh->stall_until_ms, now + query_long(query, "ms", 1000));
	long long until = atomic_load(&sh->stall_until_ms);
	if (until > now)
		sleep_ms((long)(until - now));
	long delay = query_long(query, "delay", 0);
	if (delay > 0)
		sleep_ms(delay);
	respond(fd, 200, "text/plain", NULL, "ok\n");
}

static void reset_connection(int fd)
{
	struct linger lg = { 1, 0 };
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	close(fd);
	_exit(0);
}

static void serve_http(int fd, const struct server_config *cfg, struct shared *sh)
{
	char *head = rp_xmalloc(MAX_REQUEST);
	size_t hlen = read_head(fd, head, MAX_REQUEST);
	char method[16] = "", target[4096] = "";
	if (sscanf(head, "%15s %4095s", method, target) != 2) {
		respond(fd, 400, "text/plain", NULL, "bad request\n");
		free(head);
		return;
	}
	char *q = strchr(target, '?');
	const char *query = "";
	if (q) {
		*q = '\0';
		query = q + 1;
	}
	const char *path = target;

	if (auth_route(fd, path, query, head, hlen, cfg)) {
		/* answered: a login, or what it protects */
	} else if (strncmp(path, "/status/", 8) == 0) {
		status_route(fd, atoi(path + 8), query);
	} else if (strcmp(path, "/health") == 0) {
		respond(fd, 200, "application/health+json", NULL,
		        "{\"status\":\"pass\",\"checks\":{\"db:ping\":[{\"status\":\"pass\"}]}}");
	} else if (strcmp(path, "/json") == 0) {
		char *body = query_param(query, "body", 0);
		respond(fd, 200, "application/json", NULL, body ? body : "{}");
		free(body);
	} else if (strcmp(path, "/redirect") == 0) {
		char *to = query_param(query, "to", 0);
		char *loc = rp_xasprintf("Location: %s\r\n", to ? to : "/login");
		respond(fd, (int)query_long(query, "code", 302), "text/plain", loc, "moved\n");
		free(loc);
		free(to);
	} else if (strcmp(path, "/need-bearer") == 0) {
		char *want = cfg->bearer ? rp_xasprintf("Bearer %s", cfg->bearer) : NULL;
		need_auth(fd, head, want,
		          "WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\"\r\n");
		free(want);
	} else if (strcmp(path, "/need-basic") == 0) {
		char *b64 = cfg->basic ? base64(cfg->basic) : NULL;
		char *want = b64 ? rp_xasprintf("Basic %s", b64) : NULL;
		need_auth(fd, head, want, "WWW-Authenticate: Basic realm=\"admin\"\r\n");
		free(want);
		free(b64);
	} else if (strncmp(path, "/need-bearer/", 13) == 0) {
		bearer_in_path(fd, head, path + 13);
	} else if (strcmp(path, "/echo") == 0) {
		respond(fd, 200, "text/plain", NULL, head);
	} else if (strncmp(path, "/error-rate/", 12) == 0) {
		unsigned int pct = (unsigned int)atoi(path + 12);
		unsigned int n = atomic_fetch_add(&sh->counter, 1);
		/* Spread the failures evenly: request n fails when the running
		 * share of failures would otherwise fall below pct. */
		bool fail = ((n + 1) * pct) / 100 > (n * pct) / 100;
		if (fail)
			respond(fd, 500, "text/plain", NULL, "failing on purpose\n");
		else
			respond(fd, 200, "text/plain", NULL, "ok\n");
	} else if (strcmp(path, "/stall") == 0) {
		stall_route(fd, query, sh);
	} else if (strcmp(path, "/reset") == 0) {
		reset_connection(fd);
	} else if (strncmp(path, "/stop-after/", 12) == 0) {
		if (atomic_fetch_add(&sh->counter, 1) >= (unsigned int)atoi(path + 12))
			sleep_forever();
		respond(fd, 200, "text/plain", NULL, "ok\n");
	} else if (strcmp(path, "/drip") == 0) {
		drip(fd, query);
	} else if (strcmp(path, "/endless") == 0) {
		endless(fd);
	} else if (strcmp(path, "/silence") == 0) {
		sleep_forever();
	} else if (strcmp(path, "/close") == 0) {
		/* nothing */
	} else if (strcmp(path, "/garbage") == 0) {
		junk(fd);
	} else if (strcmp(path, "/ws") == 0 || strcmp(path, "/ws-bad-accept") == 0) {
		websocket(fd, head, strcmp(path, "/ws-bad-accept") == 0);
	} else {
		respond(fd, 200, "text/plain", NULL, "ok\n");
	}
	free(head);
}

static void serve_engine(int fd, const struct server_config *cfg, struct shared *sh)
{
	char *head = rp_xmalloc(MAX_REQUEST);
	read_head(fd, head, MAX_REQUEST);
	char target[4096] = "";
	sscanf(head, "%*15s %4095s", target);
	if ((int)atomic_fetch_add(&sh->counter, 1) < cfg->fail_first)
		respond(fd, 500, "application/json", NULL,
		        "{\"cause\":\"no such process\",\"message\":\"read /proc/4242/cgroup: no "
		        "such process\",\"response\":500}\n");
	else if (strncmp(target, "/v1.41/containers/json", 22) == 0)
		respond(fd, 200, "application/json", NULL, "[]\n");
	else
		respond(fd, 404, "application/json", NULL,
		        "{\"message\":\"no such container\",\"response\":404}\n");
	free(head);
}

static void serve_banner(int fd, const char *banner)
{
	char *line = rp_xasprintf("%s\r\n", banner ? banner : "220 rp-testserver ready");
	write_str(fd, line, strlen(line));
	free(line);
	char buf[4096];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n <= 0)
			break;
		write_str(fd, buf, (size_t)n);
	}
}

static void serve(int fd, const struct server_config *cfg, struct shared *sh)
{
	if (strcmp(cfg->mode, "silent") == 0)
		sleep_forever();
	else if (strcmp(cfg->mode, "banner") == 0)
		serve_banner(fd, cfg->banner);
	else if (strcmp(cfg->mode, "garbage") == 0)
		junk(fd);
	else if (strcmp(cfg->mode, "close") == 0)
		; /* close at once */
	else if (strcmp(cfg->mode, "engine") == 0)
		serve_engine(fd, cfg, sh);
	else
		serve_http(fd, cfg, sh);
	shutdown(fd, SHUT_RDWR);
	close(fd);
}

static int listen_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof sa.sun_path)
		return -1;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 128) != 0)
		return -1;
	return fd;
}

static int listen_on(const struct server_config *cfg, int *port_out)
{
	if (cfg->unix_path)
		return listen_unix(cfg->unix_path);
	struct addrinfo hints, *ai;
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
	char port[16];
	snprintf(port, sizeof port, "%d", cfg->port);
	if (getaddrinfo(cfg->listen_addr, port, &hints, &ai) != 0)
		return -1;
	int fd = socket(ai->ai_family, SOCK_STREAM, 0);
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, 128) != 0) {
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	getsockname(fd, (struct sockaddr *)&ss, &sl);
	*port_out = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
	                                           : ((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

static void usage(void)
{
	fputs("usage: rp-testserver [--listen ADDR] [--port N] [--mode http|silent|banner|garbage|"
	      "close|engine] [--banner TEXT] [--lifetime SECONDS] [--bearer TOKEN] [--basic "
	      "USER:PW]\n"
	      "       [--unix PATH] [--fail-first K] [--login USER:PW] [--jwt-secret-file FILE]\n"
	      "       [--jwt-key PEM]\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	struct server_config cfg = { .listen_addr = "127.0.0.1", .mode = "http", .lifetime = 600 };
	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		if (strcmp(argv[i], "--listen") == 0)
			cfg.listen_addr = argv[++i];
		else if (strcmp(argv[i], "--port") == 0)
			cfg.port = atoi(argv[++i]);
		else if (strcmp(argv[i], "--mode") == 0)
			cfg.mode = argv[++i];
		else if (strcmp(argv[i], "--banner") == 0)
			cfg.banner = argv[++i];
		else if (strcmp(argv[i], "--lifetime") == 0)
			cfg.lifetime = atoi(argv[++i]);
		else if (strcmp(argv[i], "--bearer") == 0)
			cfg.bearer = argv[++i];
		else if (strcmp(argv[i], "--basic") == 0)
			cfg.basic = argv[++i];
		else if (strcmp(argv[i], "--unix") == 0)
			cfg.unix_path = argv[++i];
		else if (strcmp(argv[i], "--fail-first") == 0)
			cfg.fail_first = atoi(argv[++i]);
		else if (strcmp(argv[i], "--login") == 0)
			cfg.login = argv[++i];
		else if (strcmp(argv[i], "--jwt-secret-file") == 0)
			cfg.jwt_secret_file = argv[++i];
		else if (strcmp(argv[i], "--jwt-key") == 0)
			cfg.jwt_key = argv[++i];
		else
			usage();
	}
	cfg.started = (long)time(NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_IGN); /* children are reaped automatically */
	int port = 0;
	int lfd = listen_on(&cfg, &port);
	if (lfd < 0) {
		fprintf(stderr, "rp-testserver: cannot listen on %s:%d: %s\n", cfg.listen_addr,
		        cfg.port, strerror(errno));
		return 1;
	}
	struct shared *sh =
	        mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 1;
	atomic_init(&sh->counter, 0);
	atomic_init(&sh->stall_until_ms, 0);
	if (cfg.unix_path)
		printf("unix\n");
	else
		printf("%d\n", port);
	fflush(stdout);
	/* The whole process group goes when the lifetime is over. */
	alarm((unsigned int)cfg.lifetime);
	for (;;) {
		int fd = accept(lfd, NULL, NULL);
		if (fd < 0) {
			if (errno == EINTR)
				continue;
			continue;
		}
		pid_t pid = fork();
		if (pid == 0) {
			/* alarm() is not inherited: each child has its own limit. */
			alarm((unsigned int)cfg.lifetime);
			close(lfd);
			serve(fd, &cfg, sh);
			_exit(0);
		}
		close(fd);
	}
}
