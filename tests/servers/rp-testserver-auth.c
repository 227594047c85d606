/* rp-testserver-auth.c: the test server's login and what it protects, for
 * check_api's flows and --jwt (see rp-testserver.c for the options):
 *
 *   POST /auth/login[?ttl=S&nbf=S&alg=none]
 *        body {"username": U, "password": P} matching --login U:P: 200
 *        {"access_token": JWT, "token_type": "bearer"} and a session cookie;
 *        else 401. The JWT is HS256 with --jwt-secret-file's secret, or
 *        RS256 with --jwt-key's private key; it expires in ttl seconds
 *        (default 3600, negative: already expired), is valid from nbf
 *        seconds on (default 0); alg=none makes an unsigned one. Times
 *        count from the server's start, so a test can ask for the token
 *        once and know every login's.
 *   GET  /api/me        200 {"user": U, "price": 42} for a valid Bearer JWT
 *                       (signature, exp, nbf), else 401 saying why
 *   GET  /api/session   200 {"session": "ok"} with the login's cookie, else 401
 *
 * The tokens are real JWTs, signed with OpenSSL here and checked with
 * lib/net/rp_jwt: the same library check_api uses, but the tests also
 * check what check_api is told against tokens made by the tests. */
#include "rp-testserver.h"
#include "rp_json.h"
#include "rp_jwt.h"
#include "rp_util.h"
#include "rp_value.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static char *b64url(const void *data, size_t len)
{
	char *out = rp_xmalloc(4 * ((len + 2) / 3) + 1);
	EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	size_t n = strlen(out);
	while (n && out[n - 1] == '=')
		out[--n] = '\0';
	for (char *p = out; *p; p++)
		*p = *p == '+' ? '-' : *p == '/' ? '_' : *p;
	return out;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = path ? fopen(path, "rb") : NULL;
	if (!f)
		return NULL;
	char *buf = rp_xmalloc(65536);
	*len = fread(buf, 1, 65535, f);
	buf[*len] = '\0';
	fclose(f);
	while (*len && (buf[*len - 1] == '\n' || buf[*len - 1] == '\r'))
		buf[--*len] = '\0';
	return buf;
}

static EVP_PKEY *private_key(const struct server_config *cfg)
{
	FILE *f = fopen(cfg->jwt_key, "r");
	if (!f)
		return NULL;
	EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	return k;
}

static char *sign(const struct server_config *cfg, const char *input, const char *alg)
{
	unsigned char sig[1024];
	size_t siglen = 0;
	if (strcmp(alg, "HS256") == 0) {
		size_t slen;
		char *secret = read_all(cfg->jwt_secret_file, &slen);
		unsigned int n = 0;
		if (secret)
			HMAC(EVP_sha256(), secret, (int)slen, (const unsigned char *)input,
			     strlen(input), sig, &n);
		free(secret);
		siglen = n;
	} else if (strcmp(alg, "RS256") == 0) {
		EVP_PKEY *k = private_key(cfg);
		EVP_MD_CTX *ctx = EVP_MD_CTX_new();
		siglen = sizeof sig;
		if (!k || EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, k) != 1 ||
		    EVP_DigestSign(ctx, sig, &siglen, (const unsigned char *)input,
		                   strlen(input)) != 1)
			siglen = 0;
		EVP_MD_CTX_free(ctx);
		EVP_PKEY_free(k);
	}
	return b64url(sig, siglen);
}

static char *make_token(const struct server_config *cfg, const char *user, long ttl, long nbf,
                        bool none)
{
	const char *alg = none ? "none" : cfg->jwt_key ? "RS256" : "HS256";
	char *header = rp_xasprintf("{\"alg\":\"%s\",\"typ\":\"JWT\"}", alg);
	long now = cfg->started;
	char *payload = rp_xasprintf("{\"sub\":\"%s\",\"iss\":\"rp-testserver\",\"aud\":\"api\","
	                             "\"iat\":%ld,\"nbf\":%ld,\"exp\":%ld}",
	                             user, now, now + nbf, now + ttl);
	char *h = b64url(header, strlen(header)), *p = b64url(payload, strlen(payload));
	char *input = rp_xasprintf("%s.%s", h, p);
	char *sig = none ? rp_xstrdup("") : sign(cfg, input, alg);
	char *token = rp_xasprintf("%s.%s", input, sig);
	free(header), free(payload), free(h), free(p), free(input), free(sig);
	return token;
}

/* The session cookie's value: derived from the login, the same in every
 * forked child. */
static char *session_value(const struct server_config *cfg)
{
	unsigned char d[SHA256_DIGEST_LENGTH];
	char *in = rp_xasprintf("session:%s", cfg->login ? cfg->login : "");
	SHA256((const unsigned char *)in, strlen(in), d);
	free(in);
	char *hex = rp_xmalloc(25);
	for (int i = 0; i < 12; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	return hex;
}

static bool field_is(const struct rp_value *doc, const char *key, const char *want, size_t len)
{
	const struct rp_value *v = rp_value_table_get(doc, key, strlen(key));
	return v && v->type == RP_V_STRING && v->len == len && memcmp(v->s, want, len) == 0;
}

static void login(int fd, const char *query, const char *body, const struct server_config *cfg)
{
	const char *colon = cfg->login ? strchr(cfg->login, ':') : NULL;
	char why[200];
	struct rp_value *doc = rp_json_parse_any(body, strlen(body), why, sizeof why);
	bool ok = colon && doc && doc->type == RP_V_TABLE &&
	          field_is(doc, "username", cfg->login, (size_t)(colon - cfg->login)) &&
	          field_is(doc, "password", colon + 1, strlen(colon + 1));
	rp_value_free(doc);
	if (!ok) {
		respond(fd, 401, "application/json", NULL, "{\"error\":\"invalid_credentials\"}");
		return;
	}
	char *user = rp_xstrndup(cfg->login, (size_t)(colon - cfg->login));
	char *alg = query_param(query, "alg", 0);
	char *token = make_token(cfg, user, query_long(query, "ttl", 3600),
	                         query_long(query, "nbf", 0), alg && strcmp(alg, "none") == 0);
	char *reply = rp_xasprintf("{\"access_token\":\"%s\",\"token_type\":\"bearer\"}", token);
	char *sess = session_value(cfg);
	char *cookie = rp_xasprintf("Set-Cookie: session=%s; Path=/; HttpOnly\r\n", sess);
	respond(fd, 200, "application/json", cookie, reply);
	free(user), free(alg), free(token), free(reply), free(sess), free(cookie);
}

static char *public_pem(const struct server_config *cfg, size_t *len)
{
	EVP_PKEY *k = private_key(cfg);
	BIO *b = BIO_new(BIO_s_mem());
	char *out = NULL;
	if (k && PEM_write_bio_PUBKEY(b, k) == 1) {
		char *data;
		*len = (size_t)BIO_get_mem_data(b, &data);
		out = rp_xstrndup(data, *len);
	}
	BIO_free(b);
	EVP_PKEY_free(k);
	return out;
}

/* Why the Bearer token is refused, or NULL when it is good. */
static const char *token_problem(const char *head, const struct server_config *cfg)
{
	char *auth = header_value(head, "Authorization");
	const char *problem = NULL;
	struct rp_jwt t;
	char err[200];
	if (!auth || strncasecmp(auth, "Bearer ", 7) != 0)
		problem = "no Bearer token";
	else if (!rp_jwt_decode(auth + 7, strlen(auth + 7), &t, err, sizeof err))
		return free(auth), "not a JWT";
	if (!problem) {
		size_t len = 0;
		char *key = cfg->jwt_key ? public_pem(cfg, &len) : read_all(cfg->jwt_secret_file, &len);
		enum rp_jwt_verdict v = !key ? RP_JWT_BAD_KEY
		                        : cfg->jwt_key
		                                ? rp_jwt_verify_pem(&t, key, len, err, sizeof err)
		                                : rp_jwt_verify_secret(&t, key, len, err, sizeof err);
		double now = (double)time(NULL);
		problem = v != RP_JWT_VALID                  ? "the signature does not verify"
		          : t.has_exp && now >= t.exp        ? "the token has expired"
		          : t.has_nbf && now < t.nbf         ? "the token is not valid yet"
		                                             : NULL;
		free(key);
		rp_jwt_free(&t);
	}
	free(auth);
	return problem;
}

static void protected_me(int fd, const char *head, const struct server_config *cfg)
{
	const char *problem = token_problem(head, cfg);
	if (!problem) {
		respond(fd, 200, "application/json", NULL, "{\"user\":\"ok\",\"price\":42}");
		return;
	}
	char *challenge = rp_xasprintf(
	        "WWW-Authenticate: Bearer error=\"invalid_token\", error_description=\"%s\"\r\n",
	        problem);
	respond(fd, 401, "application/json", challenge, "{\"error\":\"invalid_token\"}");
	free(challenge);
}

static void protected_session(int fd, const char *head, const struct server_config *cfg)
{
	char *cookie = header_value(head, "Cookie");
	char *sess = session_value(cfg);
	char *want = rp_xasprintf("session=%s", sess);
	if (cookie && strstr(cookie, want))
		respond(fd, 200, "application/json", NULL, "{\"session\":\"ok\"}");
	else
		respond(fd, 401, "application/json", NULL, "{\"error\":\"no session\"}");
	free(cookie), free(sess), free(want);
}

/* The request's body after its head: Content-Length bytes, read on. */
static char *request_body(int fd, const char *req, size_t have)
{
	const char *end = strstr(req, "\r\n\r\n");
	size_t head = end ? (size_t)(end - req) + 4 : have;
	char *cl = header_value(req, "Content-Length");
	long want = cl ? strtol(cl, NULL, 10) : 0;
	free(cl);
	if (want < 0 || want > 65536)
		want = 0;
	char *body = rp_xmalloc((size_t)want + 1);
	size_t got = have - head < (size_t)want ? have - head : (size_t)want;
	memcpy(body, req + head, got);
	while (got < (size_t)want) {
		ssize_t n = read(fd, body + got, (size_t)want - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	body[got] = '\0';
	return body;
}

bool auth_route(int fd, const char *path, const char *query, const char *req, size_t len,
                const struct server_config *cfg)
{
	if (strcmp(path, "/auth/login") == 0) {
		char *body = request_body(fd, req, len);
		login(fd, query, body, cfg);
		free(body);
	} else if (strcmp(path, "/api/me") == 0) {
		protected_me(fd, req, cfg);
	} else if (strcmp(path, "/api/session") == 0) {
		protected_session(fd, req, cfg);
	} else {
		return false;
	}
	return true;
}
