/* rp_dotenv.h: .env files as people write them.
 *
 *   # a comment line                  blank lines are skipped
 *   KEY=value                         white space around '=' is allowed
 *   export KEY=value                  the shell's export prefix is allowed
 *   KEY=value # comment               '#' after white space starts a comment
 *   KEY=a#b                           ...a '#' inside a word does not
 *   KEY="a \"quoted\"\n value"        double quotes: \n \r \t \" \\ \$ escapes,
 *                                     may span lines
 *   KEY='literal $value'              single quotes: no escapes, may span lines
 *   KEY=                              the empty string
 *
 * Keys are [A-Za-z_][A-Za-z0-9_.-]*. CRLF line ends and a UTF-8 byte order
 * mark are accepted. ${VAR} is not expanded (check_config reports it as an
 * unresolved reference). Duplicate keys: the last one wins, and each
 * duplicated key is listed once in dups. A line that is none of the above
 * is an error naming its line and column. */
#ifndef RP_DOTENV_H
#define RP_DOTENV_H

#include "rp_value.h"

#include <stddef.h>

struct rp_dotenv_dups {
	char **keys;
	size_t n;
};

/* Returns a table of strings (each with its line), or NULL with err set. */
struct rp_value *rp_dotenv_parse(const char *src, size_t len, struct rp_dotenv_dups *dups,
                                 char *err, size_t errlen);
void rp_dotenv_dups_free(struct rp_dotenv_dups *d);

#endif
