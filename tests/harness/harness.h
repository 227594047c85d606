/* harness.h: running built plugins as an engine does, and starting real
 * peers on loopback for them.
 *
 * A run captures the exit code and output, parses them with the library's
 * own output parser (the one check_readiness uses), and h_assert_contract
 * holds the result to docs/contract.md: exit 0-3 and never a signal, line 1
 * "LABEL STATE - summary" matching the exit code, at most 200 characters
 * before '|', perfdata that parses. Peers run in their own process group
 * and are stopped by PID. */
#ifndef RP_HARNESS_H
#define RP_HARNESS_H

#include "rp_plugin_output.h"
#include "rp_spawn.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <sys/types.h>

struct h_run {
	struct rp_spawn_result raw;
	int exit_code; /* -1 when the plugin did not exit normally */
	const char *out;
	struct rp_plugin_output parsed;
};

/* Absolute path below the build (or source) tree. Caller frees. */
char *h_build_path(const char *rel);
char *h_src_path(const char *rel);

/* Runs argv (argv[0] "plugins/check_x" is taken from the build tree) with
 * a deadline of timeout seconds. envp NULL inherits the environment. */
void h_run_argv(struct h_run *r, char *const argv[], char *const envp[], double timeout);
/* The same with a NULL-terminated list of arguments. */
void h_run(struct h_run *r, const char *prog, ...);
void h_run_free(struct h_run *r);

/* Runs the plugin three ways, as an engine, a person at -vvv and a script
 * would: with --output-format json, with -vvv, and plain. Each run must
 * keep the output contract with label and show none of secrets (NULL-
 * terminated, may be NULL); at -vvv every other output format (prometheus,
 * openmetrics, junit, tap, markdown, html) must show none either. args: the plugin's arguments,
 * NULL-terminated, at most 60. r keeps the plain run. */
void h_run_modes(struct h_run *r, const char *plugin, const char *label, char *const envp[],
                 const char *const secrets[], const char *const args[]);

/* Fails the current test unless the run keeps the output contract and
 * its label is label. */
void h_assert_contract(const struct h_run *r, const char *label);
/* Fails unless the exit code is state and line 1 contains text. */
void h_assert_state(const struct h_run *r, int state, const char *text);
/* The perfdata value for label; fails the test when it is missing. */
double h_perf(const struct h_run *r, const char *label);
bool h_has_perf(const struct h_run *r, const char *label);
/* The run's stdout as JSON (fails the test when it is not). Caller puts. */
json_object *h_json(const struct h_run *r);

/* A free TCP port on 127.0.0.1 (bound and released; the peer then binds it). */
int h_free_port(void);
/* True once something accepts on addr:port, polling up to timeout s. */
bool h_wait_port(const char *addr, int port, double timeout);

/* Starts argv in its own process group with stdin on /dev/null (stdout
 * too when quiet), as pw's user when pw is not NULL; returns the pid. */
struct passwd;
pid_t h_spawn_peer(char *const argv[], char *const envp[], const struct passwd *pw, bool quiet);
/* Starts argv in its own process group; returns the pid. */
pid_t h_start(char *const argv[], char *const envp[]);
/* SIGTERM to the group, then SIGKILL after 5 s; reaps the child. */
void h_stop(pid_t pid);

/* rp-testserver: started with extra arguments (NULL-terminated), returns its
 * pid and writes the port it listens on (0 with --unix PATH). */
pid_t h_testserver(int *port, ...);

/* True when the program is on PATH or in /usr/sbin. */
bool h_have_program(const char *name);

/* nginx in the foreground on a free loopback port, with its files in dir;
 * servers is the inside of the http block, where PORT stands for the
 * port. Waits until it accepts. Stop it with h_stop. */
pid_t h_nginx(const char *dir, const char *servers, int *port);

/* Writes dir/NAME.key and dir/NAME.crt: an EC key and a certificate for
 * CN (with subjectAltName DNS:CN and IP:127.0.0.1) valid from now +
 * from_days to now + to_days (negative: in the past), signed by dir/ISSUER
 * (.key/.crt), or a self-signed CA when issuer is NULL. */
void h_make_cert(const char *dir, const char *name, const char *issuer, const char *cn,
                 double from_days, double to_days);
/* The same for a CA: a root when issuer is NULL, else an intermediate CA
 * signed by dir/ISSUER. */
void h_make_ca(const char *dir, const char *name, const char *issuer, const char *cn,
               double from_days, double to_days);

/* redis-server on a free loopback port (password: requirepass, or NULL),
 * its files in dir. */
pid_t h_redis(const char *dir, const char *password, int *port);

/* Starts argv (an absolute path) as user, in its own process group, with
 * stdin and stdout on /dev/null; envp NULL inherits ours. */
pid_t h_start_as(char *const argv[], char *const envp[], const char *user);

/* A PostgreSQL cluster made with initdb in dir/pgdata (dir is opened to
 * the postgres user), its server on a free loopback port, run as the
 * postgres user. h_have_postgres says whether it is installed. */
bool h_have_postgres(void);
pid_t h_postgres(const char *dir, int *port);

/* DuckDB's library as tools/bootstrap fetches it (or $RP_TEST_LIBDUCKDB),
 * NULL when absent; a DuckDB file made by it with sql run (sql may be
 * empty: an empty database); and a process holding path open for writing
 * as an application would (stop it with h_stop). */
const char *h_libduckdb(void);
/* True when it is there; else says the test is SKIPPED (a failure in CI). */
bool h_have_duckdb(const char *test);
void h_duckdb_make(const char *path, const char *sql);
pid_t h_duckdb_writer(const char *path);

/* Podman serving the Docker Engine API on a unix socket (sock), with its
 * own storage under dir and the image H_PODMAN_IMAGE (busybox: sh, sleep,
 * cat, echo, touch, true, false) imported; h_podman runs its CLI on the
 * same storage. h_have_podman says SKIP (a failure in CI) without it. */
#define H_PODMAN_IMAGE "localhost/rp-bb:1"
struct h_podman {
	char *dir, *storage, *run, *sock;
	pid_t service;
};
bool h_have_podman(const char *test);
void h_podman_up(struct h_podman *p);
void h_podman(const struct h_podman *p, struct h_run *r, ...);
void h_podman_argv(const struct h_podman *p, struct h_run *r, char *const args[]);
void h_podman_down(struct h_podman *p);

/* A real systemd booted in systemd-nspawn on a volatile root (never on the
 * host's: its boot empties /tmp). h_systemd_prepare makes dir with units/
 * (the container's /etc/systemd/system, read-only: write the test's units
 * there with h_systemd_unit and h_systemd_link before booting), journal/
 * (its /run/log/journal) and its system bus's socket; bus_address is the
 * DBUS_SYSTEM_BUS_ADDRESS=... a plugin reaches it with. h_systemd_boot
 * returns once the manager says running or degraded. h_have_nspawn says
 * SKIP (a failure in CI) without it. */
struct h_systemd {
	char *dir, *units, *journal, *bus_socket, *bus_address;
	pid_t nspawn;
};
bool h_have_nspawn(const char *test);
void h_systemd_prepare(struct h_systemd *s);
void h_systemd_unit(const struct h_systemd *s, const char *name, const char *text);
/* A symlink units/link -> target ("multi-user.target.wants/x.service"). */
void h_systemd_link(const struct h_systemd *s, const char *link, const char *target);
void h_systemd_boot(struct h_systemd *s);
void h_systemd_down(struct h_systemd *s);

/* JSON Web Tokens made with OpenSSL (h_jwt.c); each result is the
 * caller's to free. h_jwt_signing_input: "b64url(header).b64url(payload)";
 * h_jwt_hs256: an HS256 token; h_jwt_sign: alg RS/PS/ES 256 or 384 with
 * key and kid in its header; h_jwt_pem: key's public PEM; h_jwt_bn: a
 * number of key (OSSL_PKEY_PARAM_...) as a JWK member, padded to size
 * bytes (0: minimal). */
typedef struct evp_pkey_st EVP_PKEY;
char *h_jwt_b64url(const void *data, size_t len);
char *h_jwt_signing_input(const char *header, const char *payload);
char *h_jwt_hs256(const char *payload, const char *secret);
char *h_jwt_sign(EVP_PKEY *key, const char *alg, const char *kid, const char *payload);
char *h_jwt_pem(EVP_PKEY *key);
char *h_jwt_bn(EVP_PKEY *key, const char *name, int size);

/* A fresh directory under TMPDIR, and recursive removal of it. */
char *h_tempdir(void);
void h_rmrf(const char *dir);
/* Writes data to dir/name; returns the path (caller frees). */
char *h_write_file(const char *dir, const char *name, const char *data, size_t len);

#endif
