/* icinga.h: what the Icinga 2 engine tests share: a node's directories
 * under a base of its own (every -D path), icinga2 run as root dropping to
 * the nagios user, a CA and node certificates made with icinga2 pki, the
 * daemon started and stopped, and its REST API. */
#ifndef RP_ICINGA_H
#define RP_ICINGA_H

#include "harness.h"

#include <json-c/json.h>
#include <sys/types.h>

#define ICINGA2         "/usr/sbin/icinga2"
#define ICINGA_PASSWORD "api-3f9c1b7e5d2a4c6e8f0a"

/* base/{etc,etc/zones.d,lib,lib/certs,log,cache,spool,run}. */
void icinga_dirs(const char *base);
/* icinga2 ARGS with the node at base's directories; its exit code (keep:
 * the run, freed by the caller). */
int icinga_run(const char *base, const char *args, struct h_run *keep);
/* A CA in ca_base (icinga2 pki new-ca), then for the node at base a key
 * and certificate for cn signed by it, and the CA's certificate beside
 * them; base is then the nagios user's. */
void icinga_new_ca(const char *ca_base);
void icinga_cert(const char *ca_base, const char *base, const char *cn);
/* The daemon of the node at base with base/etc/icinga2.conf; waits until
 * its API answers on port. */
pid_t icinga_start(const char *base, int port);
/* METHOD path on the API at port as root (its certificate checked with
 * base/lib/certs/ca.crt, its name not): the JSON reply (json_object_put). */
json_object *icinga_api(const char *base, int port, const char *method, const char *path,
                        const char *body);
json_object *icinga_get(json_object *o, const char *key);
/* A check result rebuilt as plugin output: line 1, perfdata, long output,
 * for the parser the plugin's own run gets. Caller frees. */
char *icinga_output(json_object *cr);

#endif
