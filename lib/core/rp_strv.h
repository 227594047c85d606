/* rp_strv.h: vectors of strings as (char **v, size_t n). */
#ifndef RP_STRV_H
#define RP_STRV_H

#include <stddef.h>

/* Appends a copy of s. */
void rp_strv_push(char ***v, size_t *n, const char *s);
/* The same with the first len bytes of s. */
void rp_strv_pushn(char ***v, size_t *n, const char *s, size_t len);
/* Frees an array of n strings and the array. */
void rp_strv_free(char **v, size_t n);

#endif
