/* readiness_scan.c: the readers of check_readiness --discover, pure and
 * fuzzed: URLs (from .env values) and the ports a compose file publishes.
 *
 * Compose: not a YAML parser: a bounded, line-based
 * reading of the one shape compose files use for services and ports
 * (block mappings by indentation, "ports:" as a block or flow list, short
 * and long port syntax, ${VAR:-default}). What it cannot read it leaves
 * out and says so; a starter manifest is reviewed by a person anyway. */
#include "check_readiness.h"
#include "rp_number.h"
#include "rp_util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SERVICES   64
#define PORTS_PER_ITEM 16 /* a range "8000-8100:..." lists this many */
#define MAX_PORTS      256

struct scan {
	struct rd_compose *out;
	char *service; /* the service being read */
	char *image;
	int svc_indent, prop_indent, ports_indent;
	bool in_services, in_ports;
	/* a long-syntax item being read ("- target: 80" then "published: ...") */
	bool long_item;
	char long_published[64], long_host[64];
	bool long_udp;
};

/* A line without its comment and trailing blanks; its indent. */
static size_t content_of(const char *line, size_t len, int *indent)
{
	size_t i = 0;
	while (i < len && line[i] == ' ')
		i++;
	*indent = (int)i;
	char quote = 0;
	size_t end = len;
	for (size_t k = i; k < len; k++) {
		if (quote) {
			if (line[k] == quote)
				quote = 0;
		} else if (line[k] == '"' || line[k] == '\'') {
			quote = line[k];
		} else if (line[k] == '#' &&
		           (k == i || line[k - 1] == ' ' || line[k - 1] == '\t')) {
			end = k;
			break;
		}
	}
	while (end > i && (line[end - 1] == ' ' || line[end - 1] == '\t' || line[end - 1] == '\r'))
		end--;
	return end;
}

/* s without surrounding quotes, into buf. */
static void unquote(const char *s, size_t len, char *buf, size_t size)
{
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	if (len >= 2 && (s[0] == '"' || s[0] == '\'') && s[len - 1] == s[0]) {
		s++;
		len -= 2;
	}
	snprintf(buf, size, "%.*s", (int)(len < size ? len : size - 1), s);
}

/* ${VAR:-default} and ${VAR-default} become the default; false for a
 * variable without one (its value is the deployment's, not the file's). */
static bool interpolate(const char *in, char *out, size_t size)
{
	size_t o = 0;
	for (const char *p = in; *p && o + 1 < size;) {
		if (p[0] == '$' && p[1] == '{') {
			const char *close = strchr(p, '}');
			const char *dash = strchr(p, '-');
			if (!close || !dash || dash > close)
				return false;
			const char *def = dash + 1;
			while (def < close && o + 1 < size)
				out[o++] = *def++;
			p = close + 1;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
	return true;
}

static bool port_number(const char *s, size_t len, int *port)
{
	long long v;
	char buf[16];
	if (len == 0 || len >= sizeof buf)
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!rp_number_parse_ll(buf, &v) || v < 1 || v > 65535)
		return false;
	*port = (int)v;
	return true;
}

static void add_port(struct scan *sc, const char *host, int port)
{
	struct rd_compose *c = sc->out;
	if (c->n >= MAX_PORTS)
		return;
	c->ports = rp_xreallocarray(c->ports, c->n + 1, sizeof *c->ports);
	struct rd_compose_port *p = &c->ports[c->n++];
	p->service = rp_xstrdup(sc->service ? sc->service : "?");
	p->image = sc->image ? rp_xstrdup(sc->image) : NULL;
	snprintf(p->host, sizeof p->host, "%s", host);
	p->port = port;
}

/* "api: port ${PORT} depends on a variable without a default" */
static void note_unresolved(struct scan *sc, const char *port)
{
	if (sc->out->nnotes >= 16)
		return;
	char *s = rp_xasprintf("%s: port %s depends on a variable without a default",
	                       sc->service ? sc->service : "?", port);
	rp_strv_push(&sc->out->notes, &sc->out->nnotes, s);
	free(s);
}

/* "8000", "8000-8002" on the host side: each port published there. */
static void publish(struct scan *sc, const char *host, const char *ports)
{
	const char *dash = strchr(ports, '-');
	int lo, hi;
	if (!port_number(ports, dash ? (size_t)(dash - ports) : strlen(ports), &lo))
		return;
	hi = lo;
	if (dash && !port_number(dash + 1, strlen(dash + 1), &hi))
		return;
	const char *h = !*host || strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0
	                        ? "127.0.0.1"
	                        : host;
	for (int p = lo; p <= hi && p - lo < PORTS_PER_ITEM; p++)
		add_port(sc, h, p);
}

/* Short syntax: "8000", "8000:80", "127.0.0.1:8000:80", "8000:80/tcp". A
 * port published on no host port (a container port alone) is left out. */
static void short_port(struct scan *sc, const char *item)
{
	char raw[128], v[128];
	unquote(item, strlen(item), raw, sizeof raw);
	if (!interpolate(raw, v, sizeof v)) {
		note_unresolved(sc, raw);
		return;
	}
	char *slash = strchr(v, '/');
	if (slash) {
		if (strcmp(slash, "/udp") == 0)
			return;
		*slash = '\0';
	}
	char *last = strrchr(v, ':');
	if (!last)
		return;
	*last = '\0';
	char *mid = strrchr(v, ':');
	const char *host = "", *published = v;
	if (mid && v[0] != '[') {
		*mid = '\0';
		host = v;
		published = mid + 1;
	} else if (v[0] == '[') {
		char *close = strchr(v, ']');
		if (!close || close[1] != ':')
			return;
		*close = '\0';
		host = v + 1;
		published = close + 2;
	}
	publish(sc, host, published);
}

static void end_long_item(struct scan *sc)
{
	if (sc->long_item && sc->long_published[0] && !sc->long_udp) {
		char v[64];
		if (interpolate(sc->long_published, v, sizeof v))
			publish(sc, sc->long_host, v);
		else
			note_unresolved(sc, sc->long_published);
	}
	sc->long_item = false;
	sc->long_published[0] = sc->long_host[0] = '\0';
	sc->long_udp = false;
}

/* "key: value" of a long-syntax port item. */
static void long_key(struct scan *sc, const char *s)
{
	const char *colon = strchr(s, ':');
	if (!colon)
		return;
	size_t klen = (size_t)(colon - s);
	char value[64];
	unquote(colon + 1, strlen(colon + 1), value, sizeof value);
	if (klen == 9 && strncmp(s, "published", 9) == 0)
		snprintf(sc->long_published, sizeof sc->long_published, "%s", value);
	else if (klen == 7 && strncmp(s, "host_ip", 7) == 0)
		snprintf(sc->long_host, sizeof sc->long_host, "%s", value);
	else if (klen == 8 && strncmp(s, "protocol", 8) == 0)
		sc->long_udp = strcmp(value, "udp") == 0;
}

/* ports: ["8000:8000", "9000:9000"] */
static void flow_ports(struct scan *sc, const char *list)
{
	const char *open = strchr(list, '['), *close = strrchr(list, ']');
	if (!open || !close || close < open)
		return;
	char *copy = rp_xstrndup(open + 1, (size_t)(close - open - 1));
	char *save = NULL;
	for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save))
		short_port(sc, item);
	free(copy);
}

static void port_line(struct scan *sc, const char *s)
{
	if (s[0] == '-' && (s[1] == ' ' || s[1] == '\0')) {
		end_long_item(sc);
		const char *item = s + 1;
		while (*item == ' ')
			item++;
		const char *colon = strchr(item, ':');
		/* "- target: 80": a mapping; "- 8000:80" or "- '8000:80'": a port */
		if (colon && colon[1] == ' ' && isalpha((unsigned char)item[0])) {
			sc->long_item = true;
			long_key(sc, item);
		} else {
			short_port(sc, item);
		}
	} else if (sc->long_item) {
		long_key(sc, s);
	}
}

static void set_service(struct scan *sc, const char *name, size_t len)
{
	end_long_item(sc);
	free(sc->service);
	free(sc->image);
	char buf[128];
	unquote(name, len, buf, sizeof buf);
	sc->service = rp_xstrdup(buf);
	sc->image = NULL;
	sc->in_ports = false;
	sc->prop_indent = -1;
	sc->out->nservices++;
}

/* A line inside a service: its keys, and its ports' items. */
static void service_line(struct scan *sc, const char *s, int indent)
{
	if (sc->in_ports &&
	    (indent > sc->ports_indent || (indent == sc->ports_indent && s[0] == '-'))) {
		port_line(sc, s);
		return;
	}
	end_long_item(sc);
	sc->in_ports = false;
	if (sc->prop_indent < 0)
		sc->prop_indent = indent;
	if (indent != sc->prop_indent)
		return;
	if (strncmp(s, "image:", 6) == 0) {
		char buf[200];
		unquote(s + 6, strlen(s + 6), buf, sizeof buf);
		free(sc->image);
		sc->image = rp_xstrdup(buf);
	} else if (strncmp(s, "ports:", 6) == 0) {
		const char *rest = s + 6;
		while (*rest == ' ')
			rest++;
		if (*rest == '[')
			flow_ports(sc, rest);
		else if (!*rest) {
			sc->in_ports = true;
			sc->ports_indent = indent;
		}
	}
}

static void scan_line(struct scan *sc, const char *s, int indent)
{
	if (indent == 0) {
		end_long_item(sc);
		sc->in_services = strcmp(s, "services:") == 0;
		sc->svc_indent = -1;
		return;
	}
	if (!sc->in_services)
		return;
	if (sc->svc_indent < 0)
		sc->svc_indent = indent;
	size_t len = strlen(s);
	if (indent == sc->svc_indent) {
		if (len > 1 && s[len - 1] == ':' && sc->out->nservices < MAX_SERVICES)
			set_service(sc, s, len - 1);
		else {
			free(sc->service);
			sc->service = NULL; /* not a service we can read */
		}
	} else if (indent > sc->svc_indent && sc->service) {
		service_line(sc, s, indent);
	}
}

void readiness_compose_scan(const char *text, size_t len, struct rd_compose *out)
{
	memset(out, 0, sizeof *out);
	struct scan sc = { .out = out, .svc_indent = -1, .prop_indent = -1, .ports_indent = -1 };
	char *line = NULL;
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(text + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
		int indent;
		size_t end = content_of(text + at, n, &indent);
		if (end > (size_t)indent && memchr(text + at, '\0', n) == NULL) {
			free(line);
			line = rp_xstrndup(text + at + indent, end - (size_t)indent);
			scan_line(&sc, line, indent);
		}
		at += n + 1;
	}
	end_long_item(&sc);
	free(line);
	free(sc.service);
	free(sc.image);
}

void readiness_compose_free(struct rd_compose *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->ports[i].service);
		free(c->ports[i].image);
	}
	free(c->ports);
	rp_strv_free(c->notes, c->nnotes);
	memset(c, 0, sizeof *c);
}

/* ---------------------------------------------------------------- URLs */

/* A path segment that looks like a key ("/services/T0B1/XyZ9..." of a
 * webhook): long, with letters and digits. */
static bool secret_segment(const char *s, size_t len)
{
	bool alpha = false, digit = false;
	for (size_t i = 0; i < len; i++) {
		alpha |= (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z');
		digit |= s[i] >= '0' && s[i] <= '9';
	}
	return len >= 20 && alpha && digit;
}

static bool parse_authority(const char *a, size_t len, struct rd_url *u)
{
	const char *at = NULL;
	for (size_t i = 0; i < len; i++)
		if (a[i] == '@')
			at = a + i;
	if (at) {
		u->creds = true;
		size_t ulen = strcspn(a, ":@");
		snprintf(u->user, sizeof u->user, "%.*s", (int)(ulen < 63 ? ulen : 63), a);
		len -= (size_t)(at + 1 - a);
		a = at + 1;
	}
	const char *colon = NULL;
	if (a[0] == '[') {
		const char *close = memchr(a, ']', len);
		if (!close)
			return false;
		colon = close + 1 < a + len && close[1] == ':' ? close + 1 : NULL;
	} else {
		colon = memchr(a, ':', len);
	}
	size_t hlen = colon ? (size_t)(colon - a) : len;
	if (hlen == 0 || hlen >= sizeof u->host)
		return false;
	snprintf(u->host, sizeof u->host, "%.*s", (int)hlen, a);
	if (colon) {
		char port[8];
		size_t plen = len - hlen - 1;
		long long v;
		if (plen == 0 || plen >= sizeof port)
			return false;
		snprintf(port, sizeof port, "%.*s", (int)plen, colon + 1);
		if (!rp_number_parse_ll(port, &v) || v < 1 || v > 65535)
			return false;
		u->port = (int)v;
	}
	return true;
}

bool readiness_url_parse(const char *v, struct rd_url *u)
{
	memset(u, 0, sizeof *u);
	const char *sep = strstr(v, "://");
	if (!sep || sep == v || (size_t)(sep - v) >= sizeof u->scheme)
		return false;
	for (const char *p = v; p < sep; p++)
		u->scheme[p - v] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	const char *a = sep + 3;
	size_t alen = strcspn(a, "/?#");
	if (strcmp(u->scheme, "sqlite") != 0 && !parse_authority(a, alen, u))
		return false;
	const char *path = a + alen;
	size_t plen = strcspn(path, "?#");
	u->query = path[plen] != '\0';
	if (plen >= sizeof u->path)
		return false;
	snprintf(u->path, sizeof u->path, "%.*s", (int)plen, path);
	for (const char *s = u->path; *s;) {
		size_t n = strcspn(s + 1, "/");
		u->secret_path |= secret_segment(s + 1, n);
		s += n + 1;
	}
	return true;
}
