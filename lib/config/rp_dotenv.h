/* rp_dotenv.h: .env files as people write them, in the dialect compose,
 * godotenv and python-dotenv share (check_config(1) has the table).
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
 *   KEY: value                        YAML's colon, as 3 of 4 readers take it
 *
 * Keys are [A-Za-z_][A-Za-z0-9_.-]*. LF, CRLF and a lone CR end a line; a
 * UTF-8 byte order mark is accepted. ${VAR} is not expanded (check_config
 * reports it as an unresolved reference). Duplicate keys: the last one
 * wins, and each duplicated key is listed once in notes->dups. A line that
 * is none of the above is skipped, as compose skips it, and listed in
 * notes->skipped ("line 3, column 5: expected '=' after the key"); only an
 * unterminated quote (it takes the rest of the file) or a NUL byte refuses
 * the whole file. A key is noted optional (for templates such as
 * .env.example) when its line ends in a comment saying "optional", or it
 * lies in a block that a comment line saying "optional" opens and a blank
 * line closes. */
#ifndef RP_DOTENV_H
#define RP_DOTENV_H

#include "rp_value.h"

#include <stddef.h>

/* What the reader noticed besides the values. */
struct rp_dotenv_notes {
	char **dups; /* keys given more than once */
	size_t ndups;
	char **skipped; /* lines that are not KEY=VALUE, each with its place */
	size_t nskipped;
	char **optional; /* keys marked optional by a comment (a template's) */
	size_t noptional;
};

/* Returns a table of strings (each with its line), or NULL with err set. */
struct rp_value *rp_dotenv_parse(const char *src, size_t len, struct rp_dotenv_notes *notes,
                                 char *err, size_t errlen);
void rp_dotenv_notes_free(struct rp_dotenv_notes *n);

#endif
